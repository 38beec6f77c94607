import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { sparePort } from './spare-port';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  /** The raw message as the server received it (headers and body). */
  readonly raw: string;
}

export interface SmtpSink {
  readonly url: string;
  readonly received: readonly ReceivedMail[];
  /** Resolves with the first mail (received or yet to come) to `to`. */
  mailTo(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

// A real SMTP server (the smtp-server package) in a process of its own, printing each message it accepts as one JSON line.
const serverSource = `
const { SMTPServer } = require('smtp-server');
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, done) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      process.stdout.write(JSON.stringify({ from: session.envelope.mailFrom && session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') }) + '\\n');
      done();
    });
  },
});
server.listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('"listening"\\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await sparePort();
  const child: ChildProcess = spawn(process.execPath, ['-e', serverSource, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const received: ReceivedMail[] = [];
  const waiters: { to: string; resolve: (mail: ReceivedMail) => void }[] = [];
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`smtp-server exited with ${String(code)}`)));
    if (!child.stdout) return reject(new Error('smtp-server has no stdout'));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as ReceivedMail | 'listening';
      if (message === 'listening') return resolve();
      received.push(message);
      for (const waiter of waiters.filter((w) => message.to.includes(w.to))) waiter.resolve(message);
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    mailTo: (to, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const found = received.find((mail) => mail.to.includes(to));
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ to, resolve: (mail) => (clearTimeout(timer), resolve(mail)) });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
