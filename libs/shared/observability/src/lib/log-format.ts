/**
 * pino's transport for LOG_FORMAT: pino-pretty (colours, one readable line per entry) when a
 * person reads a terminal, plain JSON lines (one per request) for log collectors otherwise.
 */
export function logTransport(format: 'auto' | 'json' | 'pretty', isTerminal = process.stdout.isTTY === true): { target: string; options: object } | undefined {
  const pretty = format === 'pretty' || (format === 'auto' && isTerminal);
  return pretty ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,req,res' } } : undefined;
}
