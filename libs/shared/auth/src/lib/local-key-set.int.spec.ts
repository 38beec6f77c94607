import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeySet } from './local-key-set';
import { LocalTokenIssuer } from './local-token-issuer';
import { LocalTokenVerifier } from './local-token-verifier';

const settings = { issuer: 'tieuchi-local', audience: 'tieuchi' };
const posix = process.platform !== 'win32';

describe('local key set on disk', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tieuchi-keys-'));
  });

  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('is generated on first start, owner-readable only, and loaded unchanged on the next', async () => {
    const first = await LocalKeySet.loadOrCreate(dataDir);
    const file = join(dataDir, 'keys', 'local-jwks.json');
    expect(first.path).toBe(file);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { keys: Record<string, unknown>[] };
    expect(stored.keys).toHaveLength(1);
    expect(stored.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: first.kid, d: expect.any(String) });
    if (posix) expect((await stat(file)).mode & 0o777).toBe(0o600);

    const token = await new LocalTokenIssuer(first, settings).issue({ id: 'admin@daknong', roles: ['admin'], unitCode: null, provinceCode: '67', national: false });
    const second = await LocalKeySet.loadOrCreate(dataDir);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwks).toEqual(first.publicJwks);
    await expect(new LocalTokenVerifier(second, settings).verify(token)).resolves.toMatchObject({ id: 'admin@daknong' });
  });

  it('yields one key set when several processes start at once', async () => {
    const sets = await Promise.all(Array.from({ length: 5 }, () => LocalKeySet.loadOrCreate(dataDir)));
    expect(new Set(sets.map((set) => set.kid)).size).toBe(1);
  });

  it('refuses a key file others can read, and a damaged one, naming the file', async () => {
    const { path } = await LocalKeySet.loadOrCreate(dataDir);
    if (posix) {
      await chmod(path!, 0o644);
      await expect(LocalKeySet.loadOrCreate(dataDir)).rejects.toThrow(/readable by its owner only/);
      await chmod(path!, 0o600);
    }
    await writeFile(path!, '{"keys": [', { mode: 0o600 });
    await expect(LocalKeySet.loadOrCreate(dataDir)).rejects.toThrow(/local-jwks\.json: the local key set is not valid JSON/);
    await writeFile(path!, JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }), { mode: 0o600 });
    await expect(LocalKeySet.loadOrCreate(dataDir)).rejects.toThrow(/must be an EC P-256 private key/);
  });
});
