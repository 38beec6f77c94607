import { AccountCommands } from '@tieuchi/accounts/feature';
import { DAKNONG_PEOPLE } from '@tieuchi/demo/daknong';
import { provisionDaknongPeople } from '../demo/daknong-demo.loader';
import { startTestApp, type TestApp } from '../testing/test-app';

/** `npm start -- --demo` creates the demo's people as accounts through the accounts commands. */
describe('the Đắk Nông demo people as accounts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);

  afterAll(() => t?.close());

  it('are provisioned as active accounts once, and a second start keeps them', async () => {
    const commands = t.app.get(AccountCommands);
    expect(await provisionDaknongPeople(commands)).toBe(DAKNONG_PEOPLE.length);
    expect(await provisionDaknongPeople(commands)).toBe(0);
    for (const person of DAKNONG_PEOPLE) {
      const { state } = await commands.load(person.login);
      expect(state).toMatchObject({ status: 'active', login: person.login, name: person.name, grants: person.grants });
    }
  });

  it('sign in with a token that carries the account’s grants, read back from the account', async () => {
    const me = await t.http().get('/me').set('Authorization', await t.bearer('editor.660@daknong'));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ login: 'editor.660@daknong', status: 'active', roles: ['unit_editor'], unitCode: '660', provinceCode: '67', name: 'Cán bộ nhập liệu Gia Nghĩa' });
    await expect(t.bearer('nobody@daknong')).rejects.toThrow(/not an active account/);
  });

  it('lose access when an admin disables the account', async () => {
    const admin = await t.bearer('admin@daknong');
    const bearer = await t.bearer('reviewer.2@daknong');
    const disabled = await t.http().post('/accounts/reviewer.2@daknong/disable').set('Authorization', admin).send({ reason: 'nghỉ việc' });
    expect(disabled.status).toBe(200);
    expect((await t.http().get('/me').set('Authorization', bearer)).status).toBe(401);
  });
});
