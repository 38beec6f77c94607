// The module object itself (an `import *` would be a copy), so that the spy sees the client's calls.
import fs = require('node:fs');
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteSqlClient } from './pglite-sql-client';

/** What reaches the disk at a commit of a file-backed PGlite, counted at Node's fsync. */
describe('PGlite durability', () => {
  const folders: string[] = [];
  const commitsCounted = async (options: { fsync?: boolean }) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-pglite-fsync-'));
    folders.push(dataDir);
    const client = await PgliteSqlClient.create({ dataDir, ...options });
    try {
      await client.exec('CREATE TABLE t (id serial PRIMARY KEY, v text)');
      const fsync = jest.spyOn(fs, 'fsyncSync');
      for (let i = 0; i < 10; i += 1) await client.query('INSERT INTO t (v) VALUES ($1)', [`row ${i}`]);
      const calls = fsync.mock.calls.length;
      fsync.mockRestore();
      const setting = (await client.query<{ fsync: string }>('SHOW fsync')).rows[0]?.fsync;
      return { fsyncsPerCommit: calls / 10, setting };
    } finally {
      await client.close();
    }
  };

  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('fsyncs every commit by default, so an acknowledged write survives power loss', async () => {
    expect(await commitsCounted({})).toEqual({ fsyncsPerCommit: 1, setting: 'on' });
  });

  it('leaves the files to the OS when fsync is turned off', async () => {
    expect(await commitsCounted({ fsync: false })).toEqual({ fsyncsPerCommit: 0, setting: 'off' });
  });
});
