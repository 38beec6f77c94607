import { useTestSchema } from '@tieuchi/shared/testing';
import { Client } from 'pg';
import { PostgresSqlClient } from './postgres-sql-client';

describe('PostgresSqlClient statements', () => {
  const schema = useTestSchema('sql_client');
  let sql: PostgresSqlClient;

  beforeEach(async () => {
    // One connection, so every statement below meets the statements prepared before it.
    sql = new PostgresSqlClient({ connectionString: schema().connectionString, maxConnections: 1 });
    await sql.exec(`DROP TABLE IF EXISTS ${schema().name}.things; CREATE TABLE ${schema().name}.things (id int PRIMARY KEY, label text NOT NULL)`);
    await sql.query(`INSERT INTO ${schema().name}.things (id, label) VALUES ($1, $2), ($3, $4)`, [1, 'one', 2, 'two']);
  });

  afterEach(async () => {
    await sql.close();
  });

  async function alterFromAnotherSession(statement: string): Promise<void> {
    const other = new Client({ connectionString: schema().connectionString });
    await other.connect();
    try {
      await other.query(statement);
    } finally {
      await other.end();
    }
  }

  const preparedOnTheConnection = async () =>
    (await sql.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE name LIKE $1 ORDER BY prepare_time', ['tieuchi_%'])).rows.map(
      (row) => row.statement,
    );

  it('prepares a statement with parameters once per connection and reuses it', async () => {
    const select = `SELECT label FROM ${schema().name}.things WHERE id = $1`;
    expect((await sql.query<{ label: string }>(select, [1])).rows).toEqual([{ label: 'one' }]);
    expect((await sql.query<{ label: string }>(select, [2])).rows).toEqual([{ label: 'two' }]);

    const prepared = await preparedOnTheConnection();
    expect(prepared.filter((statement) => statement === select)).toHaveLength(1);
  });

  it('does the same inside a transaction, on the transaction’s connection', async () => {
    const update = `UPDATE ${schema().name}.things SET label = $2 WHERE id = $1`;
    await sql.transaction(async (tx) => {
      expect((await tx.query(update, [1, 'uno'])).rowCount).toBe(1);
      expect((await tx.query(update, [2, 'dos'])).rowCount).toBe(1);
    });
    expect((await sql.query<{ label: string }>(`SELECT label FROM ${schema().name}.things WHERE id = ANY($1) ORDER BY id`, [[1, 2] as never])).rows).toEqual([
      { label: 'uno' },
      { label: 'dos' },
    ]);
    expect((await preparedOnTheConnection()).filter((statement) => statement === update)).toHaveLength(1);
  });

  it('leaves statements without parameters on the simple protocol, unnamed', async () => {
    const count = `SELECT count(*) FROM ${schema().name}.things`;
    expect((await sql.query<{ count: string }>(count)).rows).toEqual([{ count: '2' }]);
    expect(await preparedOnTheConnection()).not.toContain(count);
  });

  it('runs a statement again, freshly prepared, when another session changed the shape of its table', async () => {
    const selectAll = `SELECT * FROM ${schema().name}.things WHERE id = $1`;
    expect((await sql.query(selectAll, [1])).rows).toEqual([{ id: 1, label: 'one' }]);

    await alterFromAnotherSession(`ALTER TABLE ${schema().name}.things ADD COLUMN note text NOT NULL DEFAULT 'added'`);

    expect((await sql.query(selectAll, [1])).rows).toEqual([{ id: 1, label: 'one', note: 'added' }]);
    expect((await sql.query(selectAll, [2])).rows).toEqual([{ id: 2, label: 'two', note: 'added' }]);
  });

  it('in a transaction, fails the statement on a changed table (the transaction is aborted) and prepares it afresh for the next one', async () => {
    const selectAll = `SELECT * FROM ${schema().name}.things WHERE id = $1`;
    await sql.transaction((tx) => tx.query(selectAll, [1]));

    await alterFromAnotherSession(`ALTER TABLE ${schema().name}.things ADD COLUMN note text`);

    await expect(sql.transaction((tx) => tx.query(selectAll, [1]))).rejects.toMatchObject({ code: '0A000' });
    await expect(sql.transaction((tx) => tx.query(selectAll, [1]))).resolves.toMatchObject({ rows: [{ id: 1, label: 'one', note: null }] });
  });

  it('still reports every other error as it is', async () => {
    await expect(sql.query(`INSERT INTO ${schema().name}.things (id, label) VALUES ($1, $2)`, [1, 'again'])).rejects.toMatchObject({ code: '23505' });
    await expect(sql.query(`SELECT nothing FROM ${schema().name}.things WHERE id = $1`, [1])).rejects.toMatchObject({ code: '42703' });
  });
});

describe('PostgresSqlClient advisory locks', () => {
  const schema = useTestSchema('sql_locks');
  const clients: PostgresSqlClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  /** A client whose connections carry their own application name, so the test can find its backends. */
  function clientNamed(name: string): PostgresSqlClient {
    const url = new URL(schema().connectionString);
    url.searchParams.set('application_name', `${schema().name}_${name}`);
    const client = new PostgresSqlClient({ connectionString: url.toString(), maxConnections: 1 });
    clients.push(client);
    return client;
  }

  async function backendsOf(observer: PostgresSqlClient, name: string): Promise<number[]> {
    const { rows } = await observer.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid', [`${schema().name}_${name}`]);
    return rows.map((row) => row.pid);
  }

  it('tells another client which locks are held, until their holder releases them', async () => {
    const held = `${schema().name}:projection:held`;
    const free = `${schema().name}:projection:free`;
    const observer = clientNamed('lock-observer');
    const holder = await clientNamed('lock-holder').tryLock(held);
    expect(holder).not.toBeNull();
    expect([...(await observer.heldLocks([held, free]))]).toEqual([held]);
    await holder?.release();
    expect([...(await observer.heldLocks([held, free]))]).toEqual([]);
    expect([...(await observer.heldLocks([]))]).toEqual([]);
  });

  it('keeps a standby’s connection between tries instead of starting a backend for each, and takes the lock on it once freed', async () => {
    const key = `${schema().name}:projection:rankings`;
    const observer = clientNamed('observer');
    const holder = await clientNamed('holder').tryLock(key);
    expect(holder).not.toBeNull();

    const standby = clientNamed('standby');
    const seen: number[][] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(standby.tryLock(key)).resolves.toBeNull();
      seen.push(await backendsOf(observer, 'standby'));
    }
    // One backend, the same after every try.
    expect(seen[0]).toHaveLength(1);
    expect(seen).toEqual([seen[0], seen[0], seen[0]]);

    await holder?.release();
    const taken = await standby.tryLock(key);
    expect(taken).not.toBeNull();
    expect(taken?.lost).toBe(false);
    expect(await backendsOf(observer, 'standby')).toEqual(seen[0]);
    const { rows } = await observer.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = (hashtextextended($1, 0) & 4294967295)::oid`,
      [key],
    );
    expect(rows.map((row) => row.pid)).toEqual(seen[0]);

    await taken?.release();
    await standby.close();
    // The server notices the ends of the sessions asynchronously.
    for (let waited = 0; waited < 2_000 && (await backendsOf(observer, 'standby')).length > 0; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await backendsOf(observer, 'standby')).toEqual([]);
  });

  it('drops a kept connection the server has closed, noticed or not, and tries on a new one', async () => {
    const key = `${schema().name}:projection:audit`;
    const observer = clientNamed('observer2');
    const holder = await clientNamed('holder2').tryLock(key);
    const standby = clientNamed('standby2');
    await expect(standby.tryLock(key)).resolves.toBeNull();
    const [kept] = await backendsOf(observer, 'standby2');
    await observer.query('SELECT pg_terminate_backend($1)', [kept ?? 0]);
    for (let waited = 0; waited < 2_000 && (await backendsOf(observer, 'standby2')).length > 0; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));

    await holder?.release();
    const taken = await standby.tryLock(key);
    expect(taken).not.toBeNull();
    const now = await backendsOf(observer, 'standby2');
    expect(now).toHaveLength(1);
    expect(now).not.toEqual([kept]);
    await taken?.release();
  });
});
