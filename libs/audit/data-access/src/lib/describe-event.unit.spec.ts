import type { AccountEvent } from '@tieuchi/accounts/domain';
import type { AssessmentEvent } from '@tieuchi/assessment/domain';
import { describeEvent, summarize } from './describe-event';

/** The row the projection writes, with `from` the previous value where the event does not carry it. */
function line(event: AccountEvent | AssessmentEvent, previous: Readonly<Record<string, unknown>> = {}): string {
  const { changes, reason } = describeEvent(event);
  const resolved = changes.map((c) => {
    const from = c.from !== undefined ? c.from : (previous[c.subject] ?? null);
    return { subject: c.subject, from, to: typeof c.to === 'function' ? (c.to as (f: unknown) => unknown)(from) : c.to };
  });
  return summarize(event.type, resolved, reason);
}

describe('audit descriptions of account events', () => {
  const reviewer = { role: 'reviewer', provinceCode: '67' } as const;

  it('name each grant and revocation by role and scope, with the reason', () => {
    expect(line({ type: 'RoleGranted', data: { grant: reviewer, reason: 'phân công thẩm định 2019' } })).toBe(
      'RoleGranted: grant:reviewer @ province 67 ∅ → granted — phân công thẩm định 2019',
    );
    expect(line({ type: 'RoleRevoked', data: { grant: reviewer, reason: 'chuyển công tác', at: '2026-01-01T00:00:00.000Z' } }, { 'grant:reviewer @ province 67': 'granted' })).toBe(
      'RoleRevoked: grant:reviewer @ province 67 granted → revoked — chuyển công tác',
    );
    expect(line({ type: 'RoleGranted', data: { grant: { role: 'unit_editor', unitCode: '660', provinceCode: '67' }, reason: 'cán bộ mới' } })).toContain('grant:unit_editor @ unit 660');
    expect(line({ type: 'RoleGranted', data: { grant: { role: 'admin', national: true }, reason: 'Bộ' } })).toContain('grant:admin @ national');
  });

  it('show an invitation with its grants, and disable / enable / unlock as status moves with their reasons', () => {
    expect(line({ type: 'AccountInvited', data: { login: 'a@tinh.vn', name: 'Nguyễn Văn A', grants: [reviewer], reason: 'nhập danh sách' } })).toBe(
      'AccountInvited: status ∅ → invited; name ∅ → Nguyễn Văn A; grant:reviewer @ province 67 ∅ → granted — nhập danh sách',
    );
    expect(line({ type: 'AccountDisabled', data: { reason: 'nghỉ việc', at: '2026-01-01T00:00:00.000Z' } }, { status: 'active' })).toBe('AccountDisabled: status active → disabled — nghỉ việc');
    expect(line({ type: 'AccountEnabled', data: { reason: 'trở lại' } }, { status: 'disabled' })).toBe('AccountEnabled: status disabled → active — trở lại');
    expect(line({ type: 'AccountUnlocked', data: { reason: 'gọi điện xác nhận' } })).toBe('AccountUnlocked: lock ∅ → unlocked — gọi điện xác nhận');
    expect(line({ type: 'AccountActivated', data: { linkId: 'l1', method: 'password' } }, { status: 'invited' })).toBe('AccountActivated: status invited → active; activated_by ∅ → password');
  });

  it('record sign-ins, failures, tokens and identity links without any secret or address', () => {
    const lines = [
      line({ type: 'SignedIn', data: { method: 'password', address: '203.0.113.7', at: '2026-01-01T00:00:00.000Z' } }),
      line({ type: 'SignInFailed', data: { reason: 'wrong_password', address: '203.0.113.7' } }),
      line({ type: 'ApiTokenCreated', data: { tokenId: 't1', name: 'báo cáo', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-04-01T00:00:00.000Z' } }),
      line({ type: 'ApiTokenRevoked', data: { tokenId: 't1' } }, { 'api_token:t1': 'created' }),
      line({ type: 'ActivationLinkIssued', data: { linkId: 'l1', purpose: 'reset', expiresAt: '2026-01-02T00:00:00.000Z' } }),
      line({ type: 'PasswordReset', data: { linkId: 'l1' } }),
      line({ type: 'SignedOutEverywhere', data: { at: '2026-01-01T00:00:00.000Z' } }),
      line({ type: 'OidcSubjectLinked', data: { issuer: 'https://id.tinh.vn', subject: 'sub-1' } }),
      line({ type: 'RolesProposedByIdentityProvider', data: { roles: ['reviewer'], issuer: 'https://id.tinh.vn' } }),
    ];
    expect(lines).toEqual([
      'SignedIn: sign_in ∅ → password',
      'SignInFailed: sign_in_failure ∅ → wrong_password',
      'ApiTokenCreated: api_token:t1 ∅ → created "báo cáo", valid until 2026-04-01T00:00:00.000Z',
      'ApiTokenRevoked: api_token:t1 created → revoked',
      'ActivationLinkIssued: link:reset ∅ → valid until 2026-01-02T00:00:00.000Z',
      'PasswordReset: password ∅ → reset through a link',
      'SignedOutEverywhere: sessions ∅ → all ended',
      'OidcSubjectLinked: oidc_subject ∅ → https://id.tinh.vn sub-1',
      'RolesProposedByIdentityProvider: proposed_roles ∅ → ["reviewer"] — proposed by https://id.tinh.vn; an admin confirms',
    ]);
    expect(lines.join('\n')).not.toContain('203.0.113.7');
  });
});

describe('audit descriptions of assessment events', () => {
  it('show a reopened review moving back under review, with the reviewer’s reason', () => {
    const reopened: AssessmentEvent = { type: 'ReviewReopened', data: { by: 'reviewer.1@daknong', at: '2019-12-02T03:00:00.000Z', revision: 2, reason: 'Đơn vị gửi bổ sung minh chứng' } };
    expect(line(reopened, { status: 'reviewed' })).toBe('ReviewReopened: status reviewed → under_review — Đơn vị gửi bổ sung minh chứng');
  });
});
