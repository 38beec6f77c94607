/**
 * The one place that reads the environment (ARCHITECTURE.md §4.8). Everything else receives an
 * AppConfig. Invalid values fail at start-up with the variable named.
 */
export type EventStoreKind = 'pglite' | 'postgres' | 'kurrentdb';

/** `local`: tokens signed by a key set kept under dataDir (embedded mode); `oidc`: an identity provider's JWKS. */
export type AuthMode = 'local' | 'oidc';

/** Whether this process also runs the worker's projections and processes; `auto` runs them in embedded mode only. */
export type RunWorker = 'auto' | 'true' | 'false';

export interface AppConfig {
  /** Which event store adapter to use; `pglite` is the embedded default that needs no server. */
  readonly eventStore: EventStoreKind;
  /** Where PGlite keeps its files (embedded mode). */
  readonly dataDir: string;
  /** PGLITE_SHARED_BUFFERS_MB: PGlite's page cache (default 16; PostgreSQL's 128 would be most of an idle process). */
  readonly pgliteSharedBuffersMb: number;
  /** PGLITE_FSYNC: `true` (default) fsyncs every commit, so acknowledged commands survive power loss; `false` survives only a crash of the process. */
  readonly pgliteFsync: boolean;
  /** PostgreSQL for read models, and for events when eventStore is `postgres`. */
  readonly databaseUrl: string;
  readonly kurrentdbConnectionString: string | undefined;
  /** Without Redis, jobs run in-process (embedded mode). */
  readonly redisUrl: string | undefined;
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  readonly authMode: AuthMode;
  /** Required when authMode is `oidc`; https (plain http only for a provider on localhost). */
  readonly oidcJwksUrl: string | undefined;
  readonly oidcIssuer: string | undefined;
  readonly oidcAudience: string | undefined;
  /** `iss` and `aud` of the tokens the local key set signs and accepts. */
  readonly localIssuer: string;
  readonly localAudience: string;
  /** RUN_WORKER: `auto` (default) runs the worker in the API process on PGlite only; production runs apps/worker beside it. */
  readonly runWorker: RunWorker;
  /**
   * RECALCULATION_CONCURRENCY: recalculation jobs a worker runs at once (default 16). A job is a
   * batch of up to 200 assessments of a run, mostly waiting on their appends, which the event
   * store writes together with those of the other jobs in flight.
   */
  readonly recalculationConcurrency: number;
  /** DATABASE_POOL_SIZE: connections per process to PostgreSQL (default: the job concurrency plus 8 for projections and requests). */
  readonly databasePoolSize: number;
  /** PUBLIC_URL: where browsers reach the app; activation links point at `${publicUrl}/activate?token=…`. */
  readonly publicUrl: string;
  /** SMTP_URL (smtp: or smtps:): when set, activation links are mailed; otherwise the inviting admin receives them. */
  readonly smtpUrl: string | undefined;
  /** MAIL_FROM: sender of the activation mails. */
  readonly mailFrom: string;
  /** ACTIVATION_LINK_HOURS: how long an activation or reset link stays valid (default 72). */
  readonly activationLinkHours: number;
  /** SESSION_HOURS: a browser session's absolute lifetime (default 12). */
  readonly sessionHours: number;
  /**
   * OIDC_DISCOVERY_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: the province's identity provider for
   * single sign-on (authorization code flow with PKCE); unset, only local sign-in is offered.
   */
  readonly oidcDiscoveryUrl: string | undefined;
  readonly oidcClientId: string | undefined;
  readonly oidcClientSecret: string | undefined;
  /** METRICS_TOKEN: the bearer token a Prometheus scraper presents at /metrics; without it /metrics does not exist. */
  readonly metricsToken: string | undefined;
  /** METRICS_PORT: the worker serves /metrics on this port (it has no other HTTP server); unset = none. */
  readonly metricsPort: number | undefined;
  /** CORS_ORIGINS: origins allowed to call the API from a browser (comma-separated); empty = same origin only. */
  readonly corsOrigins: readonly string[];
  /** PUBLIC_RATE_LIMIT: anonymous requests per minute per client address to the public ranking (0 = no limit). */
  readonly publicRateLimitPerMinute: number;
  /** TRUST_PROXY: how many reverse proxies in front add X-Forwarded-For (0 = none), so limits key on the real client. */
  readonly trustProxyHops: number;
  /** LOG_FORMAT: `json` lines, `pretty` (pino-pretty), or `auto`: pretty when stdout is a terminal. */
  readonly logFormat: 'auto' | 'json' | 'pretty';
  /** SHUTDOWN_DRAIN_MS: after SIGTERM, how long readiness answers 503 while requests are still served (default 5000). */
  readonly shutdownDrainMs: number;
  /** SHUTDOWN_TIMEOUT_MS: after the drain, how long in-flight requests get to finish before connections are cut (default 20000). */
  readonly shutdownTimeoutMs: number;
  /** Evidence files (minh chứng): where they are stored and how large they may be. */
  readonly evidence: EvidenceConfig;
}

export interface EvidenceConfig {
  /** EVIDENCE_STORAGE: `file-system` (under DATA_DIR/evidence, the embedded default) or `s3`. */
  readonly storage: 'file-system' | 's3';
  /** S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_PREFIX; required when storage is `s3`. */
  readonly s3: { readonly endpoint: string | undefined; readonly region: string; readonly bucket: string; readonly accessKeyId: string; readonly secretAccessKey: string; readonly prefix: string } | undefined;
  /** EVIDENCE_MAX_FILE_MB (default 25). */
  readonly maxFileBytes: number;
  /** EVIDENCE_MAX_ASSESSMENT_MB (default 200): all distinct files uploaded for one assessment together. */
  readonly maxAssessmentBytes: number;
  /** EVIDENCE_UNATTACHED_HOURS (default 24): uploads never attached to a criterion are deleted after this long. */
  readonly unattachedRetentionHours: number;
}

/** True when the API process must run the projections and processes itself (ARCHITECTURE.md §2, "Processes"). */
export function runsWorkerInProcess(config: Pick<AppConfig, 'runWorker' | 'eventStore'>): boolean {
  return config.runWorker === 'auto' ? config.eventStore === 'pglite' : config.runWorker === 'true';
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL: "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function positiveInteger(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new ConfigError(name, `must be a whole number from 1 to ${max}, got "${raw}"`);
  return value;
}

function nonNegativeInteger(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new ConfigError(name, `must be a whole number from 0 to ${max}, got "${raw}"`);
  return value;
}

function origins(env: Env, name: string): readonly string[] {
  const raw = text(env, name);
  if (raw === undefined) return [];
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError(name, `"${origin}" is not an origin such as https://tieuchi.example.vn`);
    }
    if (!['https:', 'http:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(name, `"${origin}" is not an origin such as https://tieuchi.example.vn (scheme, host and port only)`);
    }
    return origin;
  });
}

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(name, `must be a port number, got "${raw}"`);
  }
  return value;
}

// Signing keys fetched over plain HTTP could be swapped in transit, so only a provider on this machine may use it.
function jwksUrl(env: Env, name: string): string | undefined {
  const raw = url(env, name, ['https:', 'http:']);
  if (raw === undefined) return undefined;
  const { protocol, hostname } = new URL(raw);
  if (protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(hostname)) {
    throw new ConfigError(name, `must use https: (http: is allowed for localhost only), got "${raw}"`);
  }
  return raw;
}

function text(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

/** Builds the default PostgreSQL URL from the libpq variables CI and developers already set. */
function defaultDatabaseUrl(env: Env): string {
  const host = env['PGHOST'] || '127.0.0.1';
  const pgPort = env['PGPORT'] || '5432';
  const user = env['PGUSER'] || 'postgres';
  const database = env['PGDATABASE'] || 'test';
  return `postgres://${encodeURIComponent(user)}@${host}:${pgPort}/${encodeURIComponent(database)}`;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const eventStore = oneOf(env, 'EVENT_STORE', ['pglite', 'postgres', 'kurrentdb'] as const, 'pglite');
  const kurrentdbConnectionString = url(env, 'KURRENTDB_CONNECTION_STRING', ['kurrentdb:', 'esdb:', 'kurrentdb+discover:', 'esdb+discover:']);
  if (eventStore === 'kurrentdb' && !kurrentdbConnectionString) {
    throw new ConfigError('KURRENTDB_CONNECTION_STRING', 'is required when EVENT_STORE=kurrentdb');
  }
  const authMode = oneOf(env, 'AUTH_MODE', ['local', 'oidc'] as const, 'local');
  const oidcJwksUrl = jwksUrl(env, 'OIDC_JWKS_URL');
  const oidcIssuer = text(env, 'OIDC_ISSUER');
  const oidcAudience = text(env, 'OIDC_AUDIENCE');
  if (authMode === 'oidc') {
    if (!oidcJwksUrl) throw new ConfigError('OIDC_JWKS_URL', 'is required when AUTH_MODE=oidc');
    if (!oidcIssuer) throw new ConfigError('OIDC_ISSUER', 'is required when AUTH_MODE=oidc');
    if (!oidcAudience) throw new ConfigError('OIDC_AUDIENCE', 'is required when AUTH_MODE=oidc');
  }
  const recalculationConcurrency = positiveInteger(env, 'RECALCULATION_CONCURRENCY', 16, 256);
  return {
    eventStore,
    dataDir: env['DATA_DIR'] || './data',
    pgliteSharedBuffersMb: positiveInteger(env, 'PGLITE_SHARED_BUFFERS_MB', 16, 1_024),
    pgliteFsync: oneOf(env, 'PGLITE_FSYNC', ['true', 'false'] as const, 'true') === 'true',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']) ?? defaultDatabaseUrl(env),
    kurrentdbConnectionString,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    port: port(env, 'PORT', 3000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const, 'info'),
    authMode,
    oidcJwksUrl,
    oidcIssuer,
    oidcAudience,
    localIssuer: text(env, 'AUTH_LOCAL_ISSUER') ?? 'tieuchi-local',
    localAudience: text(env, 'AUTH_LOCAL_AUDIENCE') ?? 'tieuchi',
    runWorker: oneOf(env, 'RUN_WORKER', ['auto', 'true', 'false'] as const, 'auto'),
    recalculationConcurrency,
    databasePoolSize: positiveInteger(env, 'DATABASE_POOL_SIZE', recalculationConcurrency + 8, 1_000),
    publicUrl: (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port(env, 'PORT', 3000)}`).replace(/\/+$/, ''),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: text(env, 'MAIL_FROM') ?? 'tieuchi <no-reply@localhost>',
    activationLinkHours: positiveInteger(env, 'ACTIVATION_LINK_HOURS', 72, 24 * 30),
    sessionHours: positiveInteger(env, 'SESSION_HOURS', 12, 24 * 30),
    oidcDiscoveryUrl: jwksUrl(env, 'OIDC_DISCOVERY_URL'),
    oidcClientId: text(env, 'OIDC_CLIENT_ID'),
    oidcClientSecret: text(env, 'OIDC_CLIENT_SECRET'),
    metricsToken: text(env, 'METRICS_TOKEN'),
    metricsPort: env['METRICS_PORT'] ? port(env, 'METRICS_PORT', 0) : undefined,
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    publicRateLimitPerMinute: nonNegativeInteger(env, 'PUBLIC_RATE_LIMIT', 600, 1_000_000),
    trustProxyHops: nonNegativeInteger(env, 'TRUST_PROXY', 0, 10),
    logFormat: oneOf(env, 'LOG_FORMAT', ['auto', 'json', 'pretty'] as const, 'auto'),
    shutdownDrainMs: nonNegativeInteger(env, 'SHUTDOWN_DRAIN_MS', 5_000, 600_000),
    shutdownTimeoutMs: nonNegativeInteger(env, 'SHUTDOWN_TIMEOUT_MS', 20_000, 600_000),
    evidence: evidenceConfig(env),
  };
}

const megabyte = 1024 * 1024;

function evidenceConfig(env: Env): EvidenceConfig {
  const storage = oneOf(env, 'EVIDENCE_STORAGE', ['file-system', 's3'] as const, 'file-system');
  const bucket = text(env, 'S3_BUCKET');
  const accessKeyId = text(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = text(env, 'S3_SECRET_ACCESS_KEY');
  if (storage === 's3') {
    if (!bucket) throw new ConfigError('S3_BUCKET', 'is required when EVIDENCE_STORAGE=s3');
    if (!accessKeyId) throw new ConfigError('S3_ACCESS_KEY_ID', 'is required when EVIDENCE_STORAGE=s3');
    if (!secretAccessKey) throw new ConfigError('S3_SECRET_ACCESS_KEY', 'is required when EVIDENCE_STORAGE=s3');
  }
  return {
    storage,
    s3:
      bucket && accessKeyId && secretAccessKey
        ? { endpoint: url(env, 'S3_ENDPOINT', ['http:', 'https:']), region: text(env, 'S3_REGION') ?? 'us-east-1', bucket, accessKeyId, secretAccessKey, prefix: text(env, 'S3_PREFIX') ?? '' }
        : undefined,
    maxFileBytes: positiveInteger(env, 'EVIDENCE_MAX_FILE_MB', 25, 4_096) * megabyte,
    maxAssessmentBytes: positiveInteger(env, 'EVIDENCE_MAX_ASSESSMENT_MB', 200, 1_000_000) * megabyte,
    unattachedRetentionHours: positiveInteger(env, 'EVIDENCE_UNATTACHED_HOURS', 24, 24 * 365),
  };
}
