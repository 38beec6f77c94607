import type { Principal } from '@tieuchi/shared/auth';
import { seedThroughExecutor, startTestApp, type TestApp } from '../testing/test-app';

const HUE = '46';
const hueAdmin: Principal = { id: 'admin@hue', roles: ['admin'], unitCode: null, provinceCode: HUE, national: false };
const nationalAuditor: Principal = { id: 'auditor@national', roles: ['auditor'], unitCode: null, provinceCode: null, national: true };

interface Item {
  code: string;
  name: string;
  type: string;
  tier: string;
  status: string;
  parentCode: string | null;
  provinceCode: string | null;
  successorCode: string | null;
  version: number;
}

describe('GET /units: the admin list of units with filters and a cursor, kept by the units projection', () => {
  let t: TestApp;

  const list = async (who: string | Principal, query: Record<string, string> = {}) => t.http().get('/units').query(query).set('Authorization', await t.bearer(who));

  /** The list once `ready` holds: the read model follows the unit streams a moment later. */
  async function listOnce(who: string | Principal, query: Record<string, string>, ready: (items: Item[]) => boolean): Promise<Item[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await list(who, query);
      expect(res.status).toBe(200);
      if (ready(res.body.items) || Date.now() > deadline) return res.body.items;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    t = await startTestApp();
    const seed = seedThroughExecutor(t.app);
    await seed.daknongUnits(['24728', '24655', '24611', '24612']);
    await seed.unit(HUE, { type: 'RegisterUnit', data: { code: HUE, name: 'Thừa Thiên Huế', type: 'tỉnh', tier: 'province', parentCode: null } });
    await seed.unit('481', { type: 'RegisterUnit', data: { code: '481', name: 'A Lưới', type: 'huyện', tier: 'district', parentCode: HUE } });
  }, 60_000);

  afterAll(() => t?.close());

  it("lists a province's units by code with their tier, type, parent and province; filters by tier, parent and name", async () => {
    const communes = await listOnce('admin@daknong', { tier: 'commune' }, (items) => items.length === 4);
    expect(communes.map((u) => u.code)).toEqual(['24611', '24612', '24655', '24728']);
    expect(communes.find((u) => u.code === '24728')).toMatchObject({ name: "Nâm N'Jang", tier: 'commune', status: 'active', provinceCode: '67', version: 0 });
    const all = (await list('admin@daknong')).body.items as Item[];
    expect(all.every((u) => u.provinceCode === '67')).toBe(true);
    expect(all.find((u) => u.code === '67')).toMatchObject({ tier: 'province', parentCode: null, provinceCode: '67' });
    const parent = communes.find((u) => u.code === '24611')!.parentCode!;
    expect(((await list('reviewer.1@daknong', { parentCode: parent })).body.items as Item[]).every((u) => u.parentCode === parent)).toBe(true);
    const byName = (await list('auditor@daknong', { q: 'nâm n' })).body.items as Item[];
    expect(byName.map((u) => u.code)).toEqual(['24728']);
    expect(((await list('auditor@daknong', { q: '2465' })).body.items as Item[]).map((u) => u.code)).toEqual(['24655']);
  });

  it('pages by cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list('admin@daknong', { tier: 'commune', limit: '3', ...(cursor ? { cursor } : {}) });
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...(res.body.items as Item[]).map((u) => u.code));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['24611', '24612', '24655', '24728']);
  });

  it("shows another province's staff only their province; national staff any province they name", async () => {
    const hue = await listOnce(hueAdmin, {}, (items) => items.length === 2);
    expect(hue.map((u) => u.code)).toEqual(['46', '481']);
    expect((await list(hueAdmin, { provinceCode: '67' })).body.items).toEqual([]);
    expect(((await list(nationalAuditor, { provinceCode: HUE })).body.items as Item[]).map((u) => u.code)).toEqual(['46', '481']);
    expect(((await list(nationalAuditor, { tier: 'province' })).body.items as Item[]).map((u) => u.code)).toEqual(['46', '67']);
  });

  it('follows renames, type changes and merges', async () => {
    const admin = await t.bearer('admin@daknong');
    expect((await t.http().post('/units/24728/rename').set('Authorization', admin).send({ name: 'Nâm N’Jang mới', effectiveDate: '2021-01-01', decisionRef: 'Nghị quyết 1/NQ' })).status).toBe(200);
    expect((await t.http().post('/units/24655/type').set('Authorization', admin).send({ type: 'thị trấn', effectiveDate: '2021-01-01', decisionRef: 'Nghị quyết 2/NQ' })).status).toBe(200);
    const parent = (await list('admin@daknong', { q: '24611' })).body.items[0].parentCode as string;
    const merge = await t
      .http()
      .post('/units/merges')
      .set('Authorization', admin)
      .send({ successorCode: '24611', predecessorCodes: ['24611', '24612'], comparisonRule: 'mean', effectiveDate: '2021-01-01', legalBasis: 'Nghị quyết 3/NQ', name: 'Nghĩa Đức', type: 'phường', tier: 'commune', parentCode: parent });
    if (merge.status >= 300) throw new Error(JSON.stringify(merge.body));
    // The merge's position is that of its last write, after the rename and the type change.
    const read = await list('admin@daknong', { tier: 'commune', after: merge.body.position });
    expect(read.status).toBe(200);
    const items = read.body.items as Item[];
    expect(items.find((u) => u.code === '24728')).toMatchObject({ name: 'Nâm N’Jang mới', version: 1 });
    expect(items.find((u) => u.code === '24655')).toMatchObject({ type: 'thị trấn' });
    expect(items.find((u) => u.code === '24612')).toMatchObject({ status: 'merged_into', successorCode: '24611' });
    expect(((await list('admin@daknong', { tier: 'commune', status: 'active' })).body.items as Item[]).map((u) => u.code)).toEqual(['24611', '24655', '24728']);
  });

  it('answers after the position a unit command returned: a rename and a registration are listed at once', async () => {
    const admin = await t.bearer('admin@daknong');
    const renamed = await t.http().post('/units/24655/rename').set('Authorization', admin).send({ name: 'Đắk Nia mới', effectiveDate: '2022-01-01', decisionRef: 'Nghị quyết 4/NQ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.position).toEqual(expect.any(String));
    const listed = await list('admin@daknong', { q: '24655', after: renamed.body.position });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ code: '24655', name: 'Đắk Nia mới' })]);

    const parent = listed.body.items[0].parentCode as string;
    const registered = await t.http().post('/units').set('Authorization', admin).send({ code: '24699', name: 'Xã Mới Lập', type: 'xã', tier: 'commune', parentCode: parent });
    expect(registered.status).toBe(201);
    const withNew = await list('admin@daknong', { q: '24699', after: registered.body.position });
    expect(withNew.body.items).toEqual([expect.objectContaining({ code: '24699', name: 'Xã Mới Lập', status: 'active' })]);

    const unchanged = await t.http().post('/units/24655/rename').set('Authorization', admin).send({ name: 'Đắk Nia mới', effectiveDate: '2022-01-01', decisionRef: 'Nghị quyết 4/NQ' });
    expect({ status: unchanged.status, events: unchanged.body.events, position: unchanged.body.position }).toEqual({ status: 200, events: [], position: null });
  });

  it('refuses unit users, strangers and bad filters, naming the field', async () => {
    expect((await list('editor.24728@daknong')).status).toBe(403);
    expect((await t.http().get('/units')).status).toBe(401);
    for (const [field, value] of [['tier', 'hamlet'], ['status', 'gone'], ['cursor', 'abc'], ['limit', '0'], ['provinceCode', '6'], ['parentCode', 'x'], ['after', 'not a position'], ['after', 'x'.repeat(201)]] as const) {
      const res = await list('admin@daknong', { [field]: value });
      expect({ status: res.status, field: res.body.field }).toEqual({ status: 400, field });
    }
    // Shaped like a position, but not one of this store's.
    const foreign = await list('admin@daknong', { after: 'stream-42' });
    expect({ status: foreign.status, code: foreign.body.code, field: foreign.body.field }).toEqual({ status: 400, code: 'REQUEST.INVALID_POSITION', field: 'after' });
  });
});
