import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseUrl } from './postgres-test-schema';

/** A PostgreSQL database that belongs to one test file: apps use several schemas, so a schema is not enough. */
export interface TestDatabase {
  readonly name: string;
  readonly connectionString: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const base = new URL(testDatabaseUrl());
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withAdmin(base, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    name,
    connectionString: url.toString(),
    drop: () => withAdmin(base, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(base: URL, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: base.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
