import { randomBytes } from 'node:crypto';
import { loadConfig } from '@tieuchi/shared/config';
import { Client } from 'pg';

/** A PostgreSQL schema that belongs to one test file, so test files can run in parallel. */
export interface TestSchema {
  /** Lower-case identifier, safe to splice into SQL. */
  readonly name: string;
  /** The configured database (AppConfig.databaseUrl). */
  readonly connectionString: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

const prefixPattern = /^[a-z][a-z0-9_]{0,19}$/;

/** The configured test database URL (DATABASE_URL, or the PG* variables, via loadConfig()). */
export function testDatabaseUrl(): string {
  return loadConfig().databaseUrl;
}

/** Creates an empty schema with a unique name in the configured database. */
export async function createTestSchema(prefix = 'test'): Promise<TestSchema> {
  if (!prefixPattern.test(prefix)) throw new Error(`Schema prefix must match ${prefixPattern.source}, got "${prefix}"`);
  const connectionString = testDatabaseUrl();
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withClient(connectionString, (client) => client.query(`CREATE SCHEMA ${name}`));
  return {
    name,
    connectionString,
    drop: () => withClient(connectionString, (client) => client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)).then(() => undefined),
  };
}

/**
 * Registers beforeAll/afterAll hooks that create a schema for the current test file and drop it
 * afterwards. Call at the top of a describe block; the returned getter works inside tests and hooks.
 */
export function useTestSchema(prefix = 'test'): () => TestSchema {
  let schema: TestSchema | undefined;
  beforeAll(async () => {
    schema = await createTestSchema(prefix);
  });
  afterAll(async () => {
    await schema?.drop();
  });
  return () => {
    if (!schema) throw new Error('useTestSchema(): the schema exists only inside tests and hooks');
    return schema;
  };
}

async function withClient<T>(connectionString: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
