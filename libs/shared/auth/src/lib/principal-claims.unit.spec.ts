import { claimsFromPrincipal, principalFromClaims } from './principal-claims';
import type { Principal } from './principal';

function reasonFor(claims: Record<string, unknown>): string | undefined {
  const result = principalFromClaims(claims);
  return result.ok ? undefined : result.reason;
}

describe('principal claims', () => {
  it('reads subject, roles, unit and name', () => {
    expect(principalFromClaims({ sub: 'editor.660@daknong', roles: ['unit_editor'], unit: '660', name: 'Cán bộ nhập liệu', iss: 'x' })).toEqual({
      ok: true,
      principal: { id: 'editor.660@daknong', roles: ['unit_editor'], unitCode: '660', provinceCode: null, national: false, name: 'Cán bộ nhập liệu' },
    });
  });

  it('leaves staff without a unit unbound, scopes them to their province and drops duplicate roles', () => {
    expect(principalFromClaims({ sub: 'reviewer.1@daknong', roles: ['reviewer', 'reviewer', 'auditor'], province: '67' })).toEqual({
      ok: true,
      principal: { id: 'reviewer.1@daknong', roles: ['reviewer', 'auditor'], unitCode: null, provinceCode: '67', national: false },
    });
  });

  it('reads a national grant only from an explicit national claim', () => {
    expect(principalFromClaims({ sub: 'auditor@bo', roles: ['auditor'], national: true })).toEqual({
      ok: true,
      principal: { id: 'auditor@bo', roles: ['auditor'], unitCode: null, provinceCode: null, national: true },
    });
    expect(reasonFor({ sub: 'auditor@bo', roles: ['auditor'], national: 'true' })).toBe('the national claim must be a boolean');
    expect(reasonFor({ sub: 'auditor@bo', roles: ['auditor'], national: 1 })).toBe('the national claim must be a boolean');
  });

  it('refuses a province role (reviewer, approver, admin, auditor) without a province or national claim', () => {
    for (const role of ['reviewer', 'approver', 'admin', 'auditor']) {
      expect(reasonFor({ sub: 'x', roles: [role] })).toBe('a province role needs a province claim or the national claim');
      expect(reasonFor({ sub: 'x', roles: [role], national: false })).toBe('a province role needs a province claim or the national claim');
    }
    expect(reasonFor({ sub: 'x', roles: ['reviewer'], province: 'Huế' })).toBe('the province claim is not an official province code');
    expect(reasonFor({ sub: 'x', roles: ['reviewer'], province: 46 })).toBe('the province claim is not an official province code');
  });

  it('refuses a unit role without a unit', () => {
    expect(reasonFor({ sub: 'x', roles: ['unit_lead'] })).toBe('a unit role needs a unit claim');
    expect(reasonFor({ sub: 'x', roles: ['reviewer', 'unit_editor'], unit: null })).toBe('a unit role needs a unit claim');
  });

  it('refuses unknown roles instead of ignoring them', () => {
    expect(reasonFor({ sub: 'x', roles: ['reviewer', 'superuser'] })).toBe('the roles claim holds an unknown role');
    expect(reasonFor({ sub: 'x', roles: ['Admin'] })).toBe('the roles claim holds an unknown role');
  });

  it('reads a token without roles (an identity provider names the account; its grants come from tieuchi) as holding none', () => {
    const none = { ok: true, principal: { id: 'x', roles: [], unitCode: null, provinceCode: null, national: false } };
    expect(principalFromClaims({ sub: 'x' })).toEqual(none);
    expect(principalFromClaims({ sub: 'x', roles: [] })).toEqual(none);
  });

  it('refuses missing, empty or mistyped claims', () => {
    expect(reasonFor({ roles: ['admin'], province: '67' })).toBe('the sub claim is missing or invalid');
    expect(reasonFor({ sub: '  ', roles: ['admin'] })).toBe('the sub claim is missing or invalid');
    expect(reasonFor({ sub: 'x', roles: 'admin' })).toBe('the roles claim must be an array');
    expect(reasonFor({ sub: 'x', roles: ['unit_editor'], unit: 660 })).toBe('the unit claim is not an official unit code');
    expect(reasonFor({ sub: 'x', roles: ['unit_editor'], unit: 'Gia Nghĩa' })).toBe('the unit claim is not an official unit code');
    expect(reasonFor({ sub: 'x', roles: ['admin'], province: '67', name: 42 })).toBe('the name claim is invalid');
  });

  it('writes claims that read back as the same principal', () => {
    const principals: Principal[] = [
      { id: 'lead.24728@daknong', roles: ['unit_lead'], unitCode: '24728', provinceCode: null, national: false, name: "Lãnh đạo Nâm N'Jang" },
      { id: 'admin@daknong', roles: ['admin'], unitCode: null, provinceCode: '67', national: false },
      { id: 'auditor@bo', roles: ['auditor'], unitCode: null, provinceCode: null, national: true },
    ];
    for (const principal of principals) {
      expect(principalFromClaims(claimsFromPrincipal(principal))).toEqual({ ok: true, principal });
    }
  });
});
