import { ConfigError, loadConfig, runsWorkerInProcess } from './app-config';

describe('loadConfig', () => {
  it('defaults to the embedded PGlite store with no servers', () => {
    const config = loadConfig({});
    expect(config.eventStore).toBe('pglite');
    expect(config.redisUrl).toBeUndefined();
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(config.port).toBe(3000);
  });

  it('fsyncs the embedded database unless told not to', () => {
    expect(loadConfig({}).pgliteFsync).toBe(true);
    expect(loadConfig({ PGLITE_FSYNC: 'false' }).pgliteFsync).toBe(false);
    expect(() => loadConfig({ PGLITE_FSYNC: 'off' })).toThrow(/^PGLITE_FSYNC: must be one of true, false/);
  });

  it('names the variable when a value is invalid', () => {
    expect(() => loadConfig({ EVENT_STORE: 'mongo' })).toThrow(new ConfigError('EVENT_STORE', 'must be one of pglite, postgres, kurrentdb, got "mongo"'));
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^PORT: /);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/^REDIS_URL: must use redis: or rediss:/);
  });

  it('requires a KurrentDB address when that store is chosen', () => {
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb' })).toThrow(/^KURRENTDB_CONNECTION_STRING: is required/);
    expect(loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_CONNECTION_STRING: 'kurrentdb://localhost:2113?tls=false' }).eventStore).toBe('kurrentdb');
  });

  it('defaults to local tokens with the local issuer and audience', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ authMode: 'local', localIssuer: 'tieuchi-local', localAudience: 'tieuchi' });
    expect(config.oidcJwksUrl).toBeUndefined();
    expect(loadConfig({ AUTH_LOCAL_ISSUER: 'demo', AUTH_LOCAL_AUDIENCE: 'api' })).toMatchObject({ localIssuer: 'demo', localAudience: 'api' });
  });

  it('requires the JWKS address, issuer and audience when tokens come from an OIDC provider', () => {
    const oidc = { AUTH_MODE: 'oidc', OIDC_JWKS_URL: 'https://id.example.vn/jwks', OIDC_ISSUER: 'https://id.example.vn', OIDC_AUDIENCE: 'tieuchi-api' };
    expect(loadConfig(oidc)).toMatchObject({ authMode: 'oidc', oidcJwksUrl: 'https://id.example.vn/jwks', oidcIssuer: 'https://id.example.vn', oidcAudience: 'tieuchi-api' });
    expect(() => loadConfig({ ...oidc, OIDC_JWKS_URL: '' })).toThrow(/^OIDC_JWKS_URL: is required when AUTH_MODE=oidc/);
    expect(() => loadConfig({ ...oidc, OIDC_ISSUER: ' ' })).toThrow(/^OIDC_ISSUER: is required/);
    expect(() => loadConfig({ ...oidc, OIDC_AUDIENCE: undefined })).toThrow(/^OIDC_AUDIENCE: is required/);
    expect(() => loadConfig({ AUTH_MODE: 'saml' })).toThrow(/^AUTH_MODE: must be one of local, oidc/);
  });

  it('fetches signing keys over https, plain http only from localhost', () => {
    const oidc = { AUTH_MODE: 'oidc', OIDC_ISSUER: 'http://localhost:8080/realms/tieuchi', OIDC_AUDIENCE: 'tieuchi' };
    expect(loadConfig({ ...oidc, OIDC_JWKS_URL: 'http://localhost:8080/certs' }).oidcJwksUrl).toBe('http://localhost:8080/certs');
    expect(() => loadConfig({ ...oidc, OIDC_JWKS_URL: 'http://id.example.vn/certs' })).toThrow(/^OIDC_JWKS_URL: must use https:/);
    expect(() => loadConfig({ ...oidc, OIDC_JWKS_URL: 'ftp://id.example.vn/certs' })).toThrow(/^OIDC_JWKS_URL: must use https: or http:/);
  });

  it('runs the worker in the API process in embedded mode only, unless RUN_WORKER says otherwise', () => {
    expect(loadConfig({}).runWorker).toBe('auto');
    expect(runsWorkerInProcess(loadConfig({}))).toBe(true);
    expect(runsWorkerInProcess(loadConfig({ EVENT_STORE: 'postgres' }))).toBe(false);
    expect(runsWorkerInProcess(loadConfig({ EVENT_STORE: 'postgres', RUN_WORKER: 'true' }))).toBe(true);
    expect(runsWorkerInProcess(loadConfig({ RUN_WORKER: 'false' }))).toBe(false);
    expect(() => loadConfig({ RUN_WORKER: 'yes' })).toThrow(/^RUN_WORKER: must be one of auto, true, false/);
  });

  it('runs 16 recalculation jobs at once per worker by default, with a connection pool to match', () => {
    expect(loadConfig({})).toMatchObject({ recalculationConcurrency: 16, databasePoolSize: 24 });
    expect(loadConfig({ RECALCULATION_CONCURRENCY: '4' })).toMatchObject({ recalculationConcurrency: 4, databasePoolSize: 12 });
    expect(loadConfig({ RECALCULATION_CONCURRENCY: '4', DATABASE_POOL_SIZE: '30' }).databasePoolSize).toBe(30);
    expect(() => loadConfig({ RECALCULATION_CONCURRENCY: '0' })).toThrow(/^RECALCULATION_CONCURRENCY: must be a whole number from 1 to 256, got "0"/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: 'many' })).toThrow(/^DATABASE_POOL_SIZE: must be a whole number/);
  });

  it('keeps evidence on the file system by default, 25 MB a file, and requires bucket and keys for S3', () => {
    expect(loadConfig({}).evidence).toEqual({ storage: 'file-system', s3: undefined, maxFileBytes: 25 * 1024 * 1024, maxAssessmentBytes: 200 * 1024 * 1024, unattachedRetentionHours: 24 });
    expect(() => loadConfig({ EVIDENCE_STORAGE: 's3' })).toThrow(/^S3_BUCKET: is required when EVIDENCE_STORAGE=s3/);
    expect(() => loadConfig({ EVIDENCE_STORAGE: 'disk' })).toThrow(/^EVIDENCE_STORAGE: must be one of file-system, s3/);
    const s3 = loadConfig({ EVIDENCE_STORAGE: 's3', S3_BUCKET: 'minh-chung', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's', S3_ENDPOINT: 'http://localhost:9000', EVIDENCE_MAX_FILE_MB: '10' }).evidence;
    expect(s3).toMatchObject({ storage: 's3', s3: { endpoint: 'http://localhost:9000', region: 'us-east-1', bucket: 'minh-chung', prefix: '' }, maxFileBytes: 10 * 1024 * 1024 });
  });
});

describe('loadConfig: operations', () => {
  it('keeps metrics off, CORS closed and the public ranking limited unless told otherwise', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ metricsToken: undefined, metricsPort: undefined, corsOrigins: [], publicRateLimitPerMinute: 600, trustProxyHops: 0, logFormat: 'auto' });
  });

  it('reads the operations settings and names the variable of a bad one', () => {
    expect(
      loadConfig({ METRICS_TOKEN: ' s3cret ', METRICS_PORT: '9464', CORS_ORIGINS: 'https://a.example.vn, http://localhost:5173', PUBLIC_RATE_LIMIT: '0', TRUST_PROXY: '1', LOG_FORMAT: 'json' }),
    ).toMatchObject({ metricsToken: 's3cret', metricsPort: 9464, corsOrigins: ['https://a.example.vn', 'http://localhost:5173'], publicRateLimitPerMinute: 0, trustProxyHops: 1, logFormat: 'json' });
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.vn/path' })).toThrow(/^CORS_ORIGINS: /);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/^CORS_ORIGINS: /);
    expect(() => loadConfig({ PUBLIC_RATE_LIMIT: '-1' })).toThrow(/^PUBLIC_RATE_LIMIT: /);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/^LOG_FORMAT: /);
  });
});
