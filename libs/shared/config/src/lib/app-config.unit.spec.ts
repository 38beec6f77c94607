import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to the embedded PGlite store with no servers', () => {
    const config = loadConfig({});
    expect(config.eventStore).toBe('pglite');
    expect(config.redisUrl).toBeUndefined();
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(config.port).toBe(3000);
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
});
