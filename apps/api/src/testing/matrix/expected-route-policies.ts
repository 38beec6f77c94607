import { miniFramework } from '../read-model-workflow';
import { ROLES, type Role } from '@tieuchi/shared/auth';

/** The unit the bound demo users (editor.24728, lead.24728) belong to, and one they do not. */
export const OWN_UNIT = '24728';
export const OTHER_UNIT = '24655';
export const MATRIX_PERIOD = 'daknong-2019';
export const MATRIX_FRAMEWORK = '2392-2017';
/** A district the admin-only unit routes act on, so that they leave the two communes alone. */
export const ADMIN_TARGET_UNIT = '660';
export const SCORED_CRITERION = 'X.SS.HT.1';
export const NOT_APPLICABLE_CRITERION = 'X.SS.HT.4';

export interface ExpectedRoutePolicy {
  /** `METHOD /path` exactly as Nest registers it. */
  readonly key: string;
  /** `public`: anonymous callers too; otherwise the roles admitted (anonymous gets 401, others 403). */
  readonly access: 'public' | 'authenticated' | readonly Role[];
  /**
   * Unit editors and leads may use the route for their own unit only (403 AUTH.OTHER_UNIT for
   * another one). Staff roles are not bound to a unit.
   */
  readonly unitBound: boolean;
  /** The path parameter naming a unit: the matrix calls the route for the own and the other unit. */
  readonly unitParam?: 'unitCode' | 'code';
  /** Path values beyond the defaults below. */
  readonly params?: Readonly<Record<string, string>>;
  /** A valid body / query, so that an admitted call is judged by what lies past authorization. */
  readonly body?: object;
  /** A file body sent as is with `contentType` (CSV / XLSX uploads), instead of JSON. */
  readonly raw?: string;
  readonly contentType?: string;
  readonly query?: Readonly<Record<string, string>>;
  /**
   * Set while the route's module is not wired into AppModule: the entry may then match no route,
   * and is checked as soon as the route appears.
   */
  readonly pendingModule?: string;
  /**
   * The route acts on one province's data (a period, a unit, an assessment in a period): its
   * reviewer / approver / admin / auditor roles count only for that province, and a caller holding
   * them for another province gets 403 with this code (`ASSESSMENT.FORBIDDEN` where the assessment
   * decider judges the roles, `AUTH.OTHER_PROVINCE` elsewhere). Routes that answer another
   * province's staff with a narrower list instead (review queue, period assessments, audit events)
   * are tested in jurisdiction.e2e.spec.ts.
   */
  readonly provinceScoped?: 'AUTH.OTHER_PROVINCE' | 'ASSESSMENT.FORBIDDEN';
}

const everyone: readonly Role[] = ROLES;
const unitUsers: readonly Role[] = ['unit_editor', 'unit_lead'];
const assessment = '/periods/:periodId/assessments/:unitCode';
const criterion = `${assessment}/criteria/:criterionCode`;
const isoDeadlines = { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 };

/** Path values used unless an entry says otherwise (seeded by seedMatrixFixture). */
export const DEFAULT_PATH_VALUES: Readonly<Record<string, string>> = {
  periodId: MATRIX_PERIOD,
  unitCode: OWN_UNIT,
  criterionCode: SCORED_CRITERION,
  tier: 'commune',
  part: 'readiness',
  frameworkId: MATRIX_FRAMEWORK,
  version: '1',
  projectionId: 'audit-trail',
  code: ADMIN_TARGET_UNIT,
  runId: 'run-000000000000000000000001',
  login: 'matrix.target@daknong',
  tokenId: '00000000-0000-4000-8000-000000000000',
  sha256: '0'.repeat(64),
};

/**
 * Who may call every route of the API. Written out by hand on purpose: the matrix compares it with
 * the routes the app registers, so a new route fails the test until someone states its policy here.
 */
export const EXPECTED_ROUTE_POLICIES: readonly ExpectedRoutePolicy[] = [
  // Public reads and health.
  { key: 'GET /health', access: 'public', unitBound: false },
  { key: 'GET /health/live', access: 'public', unitBound: false },
  { key: 'GET /health/ready', access: 'public', unitBound: false },
  { key: 'GET /periods/:periodId/rankings/:tier/:part', access: 'public', unitBound: false },
  { key: 'GET /periods/:periodId/rankings/:tier/:part/appendix.xlsx', access: 'public', unitBound: false },
  { key: 'GET /periods/:periodId/rankings/:tier/:part/appendix.pdf', access: 'public', unitBound: false },
  { key: 'GET /periods/:periodId/rankings/:tier/:part/open-data.csv', access: 'public', unitBound: false },
  { key: 'GET /periods/:periodId/rankings/:tier/:part/open-data.json', access: 'public', unitBound: false },
  { key: 'GET /periods/:periodId/units/:unitCode/public-evidence', access: 'public', unitBound: false },
  { key: 'GET /periods/:periodId/units/:unitCode/public-evidence/:sha256', access: 'public', unitBound: false },
  { key: 'GET /units/:unitCode/history', access: 'public', unitBound: false, unitParam: 'unitCode' },

  // Reads for signed-in users.
  { key: `GET ${assessment}`, access: everyone, unitBound: true, unitParam: 'unitCode', provinceScoped: 'AUTH.OTHER_PROVINCE' },
  { key: `GET ${assessment}/document.pdf`, access: everyone, unitBound: true, unitParam: 'unitCode', provinceScoped: 'AUTH.OTHER_PROVINCE' },
  { key: `GET ${assessment}/evidence/:sha256`, access: everyone, unitBound: true, unitParam: 'unitCode', provinceScoped: 'AUTH.OTHER_PROVINCE' },
  {
    key: `GET ${assessment}/audit`,
    access: ['auditor', 'admin', 'unit_editor', 'unit_lead'],
    unitBound: true,
    unitParam: 'unitCode',
    query: { limit: '10' },
    provinceScoped: 'AUTH.OTHER_PROVINCE',
  },
  { key: 'GET /units/:code', access: everyone, unitBound: true, unitParam: 'code' },
  { key: 'GET /units', access: ['auditor', 'admin', 'reviewer', 'approver'], unitBound: false, query: { tier: 'commune' } },
  { key: 'GET /review-queue', access: ['reviewer', 'approver'], unitBound: false, query: { periodId: MATRIX_PERIOD } },
  { key: 'GET /periods/:periodId', access: everyone, unitBound: false },
  { key: 'GET /periods', access: 'public', unitBound: false, query: { limit: '10' } },
  { key: `GET /periods/:periodId/assessments`, access: everyone, unitBound: false, query: { limit: '10' } },
  { key: 'GET /frameworks/:frameworkId', access: everyone, unitBound: false },
  { key: 'GET /frameworks/:frameworkId/versions/:version', access: everyone, unitBound: false },
  { key: 'GET /audit/events', access: ['auditor', 'admin'], unitBound: false, query: { limit: '10' } },
  { key: 'GET /audit/verify', access: ['auditor', 'admin'], unitBound: false },
  { key: 'GET /admin/projections/:projectionId', access: ['admin'], unitBound: false },
  { key: 'GET /admin/projections', access: ['admin'], unitBound: false },

  // The unit's own work on its assessment.
  { key: `POST ${assessment}`, access: unitUsers, unitBound: true, unitParam: 'unitCode' },
  // Multipart; a call without a file is refused past authorization (400 EVIDENCE.BAD_UPLOAD).
  { key: `POST ${assessment}/evidence`, access: unitUsers, unitBound: true, unitParam: 'unitCode' },
  { key: `GET ${assessment}/form.xlsx`, access: unitUsers, unitBound: true, unitParam: 'unitCode' },
  { key: `POST ${assessment}/form.xlsx`, access: unitUsers, unitBound: true, unitParam: 'unitCode' },
  {
    key: `POST ${criterion}/score`,
    access: unitUsers,
    unitBound: true,
    unitParam: 'unitCode',
    body: { answer: { kind: 'value', value: 1 }, evidence: [], explanation: 'Đã triển khai' },
  },
  {
    key: `POST ${criterion}/not-applicable`,
    access: unitUsers,
    unitBound: true,
    unitParam: 'unitCode',
    params: { criterionCode: NOT_APPLICABLE_CRITERION },
    body: { explanation: 'Trụ sở UBND xã chưa có mạng LAN' },
  },
  {
    key: `POST ${assessment}/answers`,
    access: unitUsers,
    unitBound: true,
    unitParam: 'unitCode',
    body: { items: [{ criterionCode: SCORED_CRITERION, answer: { kind: 'value', value: 1 }, evidence: [{ reference: 'Quyết định 12/QĐ-UBND' }], explanation: 'Đã triển khai' }] },
  },
  { key: `POST ${assessment}/submit`, access: ['unit_lead'], unitBound: true, unitParam: 'unitCode' },
  { key: `POST ${assessment}/withdraw`, access: ['unit_lead'], unitBound: true, unitParam: 'unitCode' },
  { key: `POST ${assessment}/resubmit`, access: ['unit_lead'], unitBound: true, unitParam: 'unitCode' },
  { key: `POST ${assessment}/appeal`, access: ['unit_lead'], unitBound: true, unitParam: 'unitCode', body: { reason: 'Điểm chưa phản ánh đúng', criteriaCodes: [SCORED_CRITERION] } },

  // Review by the Sở (never the unit's own staff: the decider refuses that, see the four-eyes tests).
  { key: `POST ${assessment}/review/start`, access: ['reviewer'], unitBound: false, unitParam: 'unitCode', provinceScoped: 'ASSESSMENT.FORBIDDEN' },
  { key: `POST ${criterion}/accept`, access: ['reviewer'], unitBound: false, unitParam: 'unitCode', provinceScoped: 'ASSESSMENT.FORBIDDEN' },
  { key: `POST ${criterion}/adjust`, access: ['reviewer'], unitBound: false, unitParam: 'unitCode', body: { answer: { kind: 'value', value: 1 }, reason: 'Thiếu minh chứng' }, provinceScoped: 'ASSESSMENT.FORBIDDEN' },
  { key: `POST ${assessment}/return`, access: ['reviewer'], unitBound: false, unitParam: 'unitCode', body: { comment: 'Bổ sung minh chứng', flaggedCriteria: [SCORED_CRITERION] }, provinceScoped: 'ASSESSMENT.FORBIDDEN' },
  { key: `POST ${assessment}/review/complete`, access: ['reviewer'], unitBound: false, unitParam: 'unitCode', provinceScoped: 'ASSESSMENT.FORBIDDEN' },
  { key: `POST ${assessment}/review/reopen`, access: ['reviewer'], unitBound: false, unitParam: 'unitCode', body: { reason: 'Xem lại tiêu chí X.SS.HT.1' }, provinceScoped: 'ASSESSMENT.FORBIDDEN' },
  { key: `POST ${assessment}/review/accept-remaining`, access: ['reviewer'], unitBound: false, unitParam: 'unitCode', provinceScoped: 'ASSESSMENT.FORBIDDEN' },
  { key: `POST ${assessment}/appeal/resolve`, access: ['reviewer'], unitBound: false, unitParam: 'unitCode', body: { outcome: 'upheld', reason: 'Giữ nguyên kết quả' }, provinceScoped: 'ASSESSMENT.FORBIDDEN' },
  { key: `POST ${assessment}/approve`, access: ['approver'], unitBound: false, unitParam: 'unitCode', body: { revision: 1 }, provinceScoped: 'ASSESSMENT.FORBIDDEN' },
  { key: `POST ${assessment}/send-back`, access: ['approver'], unitBound: false, unitParam: 'unitCode', body: { comment: 'Xem lại tiêu chí X.SS.HT.1' }, provinceScoped: 'ASSESSMENT.FORBIDDEN' },

  // Administration.
  { key: 'POST /frameworks', access: ['admin'], unitBound: false, body: { frameworkId: 'matrix-draft', definition: { ...miniFramework, id: 'matrix-draft' } } },
  { key: 'POST /frameworks/:frameworkId/publish', access: ['admin'], unitBound: false, body: { decisionReference: '2392/QĐ-BTTTT 25/12/2017' } },
  {
    key: 'POST /frameworks/:frameworkId/amendments',
    access: ['admin'],
    unitBound: false,
    body: { cause: 'Điều chỉnh cách làm tròn', decisionReference: '12/QĐ-UBND 05/03/2019', changes: [{ kind: 'rounding_changed', rounding: { decimals: 2, mode: 'half_up' } }] },
  },
  { key: 'POST /units', access: ['admin'], unitBound: false, body: { code: '99001', name: 'Xã Thử Nghiệm', type: 'xã', tier: 'commune', parentCode: ADMIN_TARGET_UNIT }, provinceScoped: 'AUTH.OTHER_PROVINCE' },
  {
    key: 'POST /units/import',
    access: ['admin'],
    unitBound: false,
    raw: `code,name,type,parent_code\n99005,Xã Thử Nhập,xã,${ADMIN_TARGET_UNIT}\n`,
    contentType: 'text/csv',
    provinceScoped: 'AUTH.OTHER_PROVINCE',
  },
  {
    key: 'POST /provinces/:provinceCode/past-results',
    access: ['admin'],
    unitBound: false,
    params: { provinceCode: '67' },
    raw: `unit,year,part,score,level,decision_number,decision_date\n${OWN_UNIT},2017,readiness,41.5,II,25/QĐ-UBND,15/01/2018\n`,
    contentType: 'text/csv',
    provinceScoped: 'AUTH.OTHER_PROVINCE',
  },
  { key: 'POST /units/:code/rename', access: ['admin'], unitBound: false, body: { name: 'Thành phố Gia Nghĩa', effectiveDate: '2020-01-01', decisionRef: 'Nghị quyết 835/NQ-UBTVQH14' }, provinceScoped: 'AUTH.OTHER_PROVINCE' },
  { key: 'POST /units/:code/type', access: ['admin'], unitBound: false, body: { type: 'thành phố', effectiveDate: '2020-01-01', decisionRef: 'Nghị quyết 835/NQ-UBTVQH14' }, provinceScoped: 'AUTH.OTHER_PROVINCE' },
  {
    key: 'POST /units/merges',
    access: ['admin'],
    unitBound: false,
    body: {
      successorCode: '99002',
      predecessorCodes: ['662', '664'],
      comparisonRule: 'mean',
      effectiveDate: '2025-07-01',
      legalBasis: 'Nghị quyết 1671/NQ-UBTVQH15',
      name: 'Huyện Hợp Nhất',
      type: 'huyện',
      tier: 'district',
      parentCode: '67',
    },
    provinceScoped: 'AUTH.OTHER_PROVINCE',
  },
  { key: 'POST /units/:code/dissolve', access: ['admin'], unitBound: false, body: { effectiveDate: '2025-07-01', legalBasis: 'Nghị quyết 1671/NQ-UBTVQH15' }, provinceScoped: 'AUTH.OTHER_PROVINCE' },
  {
    key: 'POST /periods',
    access: ['admin'],
    unitBound: false,
    body: { periodId: 'matrix-2020', provinceCode: '67', year: 2020, framework: { id: MATRIX_FRAMEWORK, version: 1 }, deadlines: isoDeadlines },
    provinceScoped: 'AUTH.OTHER_PROVINCE',
  },
  { key: 'POST /periods/:periodId/framework-version', access: ['admin'], unitBound: false, body: { frameworkId: MATRIX_FRAMEWORK, version: 2, cause: 'Làm tròn mới', decisionRef: '12/QĐ-UBND' }, provinceScoped: 'AUTH.OTHER_PROVINCE' },
  { key: 'POST /periods/:periodId/self-assessment/close', access: ['admin'], unitBound: false, provinceScoped: 'AUTH.OTHER_PROVINCE' },
  { key: 'POST /periods/:periodId/publish', access: ['admin'], unitBound: false, body: { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' }, provinceScoped: 'AUTH.OTHER_PROVINCE' },
  { key: 'POST /periods/:periodId/corrections', access: ['admin'], unitBound: false, body: { decisionNumber: '12/QĐ-UBND', decisionDate: '2020-02-01', reason: 'Đính chính số liệu' }, provinceScoped: 'AUTH.OTHER_PROVINCE' },
  { key: 'POST /periods/:periodId/deadlines', access: ['admin'], unitBound: false, body: { review: '2099-12-31', reason: 'Gia hạn thẩm định' }, provinceScoped: 'AUTH.OTHER_PROVINCE' },
  { key: 'POST /admin/projections/:projectionId/rebuild', access: ['admin'], unitBound: false },

  // Accounts and sign-in. Bodies are chosen so admitted calls leave the callers' own accounts usable.
  { key: 'POST /auth/sign-in', access: 'public', unitBound: false, body: { login: 'matrix@daknong' } },
  { key: 'POST /auth/activate', access: 'public', unitBound: false, body: { token: 'a'.repeat(43), password: 'mật-khẩu-đủ-dài' } },
  { key: 'GET /auth/methods', access: 'public', unitBound: false },
  { key: 'GET /auth/oidc/start', access: 'public', unitBound: false },
  { key: 'GET /auth/oidc/callback', access: 'public', unitBound: false },
  { key: 'POST /auth/sign-out', access: 'authenticated', unitBound: false },
  { key: 'POST /auth/sign-out-everywhere', access: 'authenticated', unitBound: false },
  { key: 'GET /me', access: 'authenticated', unitBound: false },
  { key: 'GET /me/tokens', access: 'authenticated', unitBound: false },
  { key: 'POST /me/tokens', access: 'authenticated', unitBound: false, body: { name: 'matrix' } },
  { key: 'DELETE /me/tokens/:tokenId', access: 'authenticated', unitBound: false },
  { key: 'GET /accounts', access: ['admin'], unitBound: false, query: { status: 'active' } },
  { key: 'POST /accounts', access: ['admin'], unitBound: false, body: { login: 'matrix.invited@daknong', name: 'Matrix', grants: [{ role: 'auditor', provinceCode: '67' }] } },
  { key: 'POST /accounts/import', access: ['admin'], unitBound: false },
  { key: 'GET /accounts/:login', access: ['admin'], unitBound: false },
  { key: 'POST /accounts/:login/grants', access: ['admin'], unitBound: false, body: { grant: { role: 'auditor', provinceCode: '67' }, reason: 'matrix' } },
  { key: 'POST /accounts/:login/grants/revoke', access: ['admin'], unitBound: false, body: { grant: { role: 'auditor', provinceCode: '67' }, reason: 'matrix' } },
  { key: 'POST /accounts/:login/disable', access: ['admin'], unitBound: false, body: { reason: 'matrix' } },
  { key: 'POST /accounts/:login/enable', access: ['admin'], unitBound: false, body: { reason: 'matrix' } },
  { key: 'POST /accounts/:login/unlock', access: ['admin'], unitBound: false, body: { reason: 'matrix' } },
  { key: 'POST /accounts/:login/reset', access: ['admin'], unitBound: false },

  // Recalculation.
  {
    key: 'POST /frameworks/:frameworkId/amendments/what-if',
    access: ['admin'],
    unitBound: false,
    body: { periodId: MATRIX_PERIOD, amendment: { cause: 'Thử', decisionReference: '12/QĐ-UBND', changes: [{ kind: 'rounding_changed', rounding: { decimals: 1, mode: 'half_up' } }] } },
    provinceScoped: 'AUTH.OTHER_PROVINCE',
    pendingModule: 'RecalculationFeatureModule',
  },
  { key: 'GET /recalculation-runs', access: ['admin', 'auditor'], unitBound: false, query: { periodId: 'daknong-2019' }, pendingModule: 'RecalculationFeatureModule' },
  { key: 'GET /recalculation-runs/:runId', access: ['admin', 'auditor'], unitBound: false, pendingModule: 'RecalculationFeatureModule' },
  { key: 'POST /recalculation-runs/:runId/retry', access: ['admin'], unitBound: false, pendingModule: 'RecalculationFeatureModule' },
];

export function expectedPolicyOf(key: string): ExpectedRoutePolicy {
  const found = EXPECTED_ROUTE_POLICIES.find((entry) => entry.key === key);
  if (!found) throw new Error(`no expected policy for ${key}`);
  return found;
}
