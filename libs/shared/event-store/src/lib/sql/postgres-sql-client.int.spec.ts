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
