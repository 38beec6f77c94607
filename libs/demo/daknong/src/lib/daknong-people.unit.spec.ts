import { ACCOUNT_ROLES, type AccountCommand, decideAccount, evolveAccount, initialAccountState, isValidLogin, scopeOfGrants } from '@tieuchi/accounts/domain';
import { DAKNONG_PEOPLE, daknongPerson } from './daknong-people';

const metadata = { actor: 'system:demo', correlationId: 'c', causationId: 'c', occurredAt: '2026-01-10T08:00:00.000Z' };

describe('the people of the Đắk Nông demo', () => {
  it('each provision as an active account through the accounts decider', () => {
    expect(new Set(DAKNONG_PEOPLE.map((person) => person.login)).size).toBe(DAKNONG_PEOPLE.length);
    for (const person of DAKNONG_PEOPLE) {
      expect(isValidLogin(person.login)).toBe(true);
      const command: AccountCommand = { type: 'ProvisionAccount', data: { ...person, reason: 'demo', actor: { kind: 'system' } }, metadata };
      const state = decideAccount(command, initialAccountState()).reduce(evolveAccount, initialAccountState());
      expect(state).toMatchObject({ status: 'active', login: person.login, name: person.name });
    }
  });

  it('cover every role, with two reviewers and two approvers for the four-eyes rules', () => {
    const count = (role: string): number => DAKNONG_PEOPLE.filter((person) => person.grants.some((grant) => grant.role === role)).length;
    for (const role of ACCOUNT_ROLES) expect(count(role)).toBeGreaterThan(0);
    expect(count('reviewer')).toBe(2);
    expect(count('approver')).toBe(2);
  });

  it('give each demo unit an editor and a lead bound to it, and the Sở staff the province', () => {
    const scope = (login: string) => scopeOfGrants(daknongPerson(login)?.grants ?? []);
    for (const code of ['660', '662', '24728']) {
      expect(scope(`editor.${code}@daknong`)).toEqual({ roles: ['unit_editor'], unitCode: code, provinceCode: '67', national: false });
      expect(scope(`lead.${code}@daknong`)).toEqual({ roles: ['unit_lead'], unitCode: code, provinceCode: '67', national: false });
    }
    expect(scope('admin@daknong')).toEqual({ roles: ['admin'], unitCode: null, provinceCode: '67', national: false });
    expect(scope('reviewer.1@daknong')).toMatchObject({ provinceCode: '67', national: false });
    expect(daknongPerson('nobody@daknong')).toBeUndefined();
  });
});
