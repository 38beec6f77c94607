import { type AccountEvent, describeGrant, isAccountEvent } from '@tieuchi/accounts/domain';
import { type AssessmentEvent, type AssessmentStatus, isAssessmentEvent, statusAfter, statusChangeOf } from '@tieuchi/assessment/domain';
import { assertNever } from '@tieuchi/shared/kernel';
import type { FrameworkEvent } from '@tieuchi/framework/domain';
import type { PeriodEvent } from '@tieuchi/period/domain';
import type { PastResultsImported } from '@tieuchi/ranking/domain';
import type { UnitEvent } from '@tieuchi/unit/domain';

/**
 * One thing an event changed, named by a subject that is stable within its stream (`status`,
 * `criterion:X.SS.HT.3`, `version`, `part:readiness`). `from` is given when the event itself
 * carries it; otherwise the projection takes the subject's value from the stream's previous row.
 */
export interface AuditChange {
  readonly subject: string;
  readonly from?: unknown;
  /** A function when the new value depends on the old one (a withdrawal returns to where it came from). */
  readonly to: unknown;
}

export interface AuditDescription {
  readonly changes: readonly AuditChange[];
  readonly reason: string | null;
}

interface AnyEvent {
  readonly type: string;
  readonly data: unknown;
}

type KnownEvent = FrameworkEvent | PeriodEvent | UnitEvent;

const status = (to: unknown): AuditChange => ({ subject: 'status', to });
const criterion = (code: string, to: number | null, from?: number | null): AuditChange => ({
  subject: `criterion:${code}`,
  to,
  ...(from !== undefined ? { from } : {}),
});

/** What an event changed, from → to, and why. Unknown event types are recorded without changes. */
export function describeEvent(event: AnyEvent): AuditDescription {
  if (isAssessmentEvent(event)) return describeAssessmentEvent(event);
  if (isAccountEvent(event)) return describeAccountEvent(event);
  if (event.type === 'PastResultsImported') return describePastResults(event.data as PastResultsImported['data']);
  const known = describeKnown(event as KnownEvent);
  return known ?? { changes: [], reason: genericReason(event.data) };
}

/**
 * An assessment event, every type of the union: its status moves as the assessment's fold moves it
 * (the value before it is the stream's previous row's), never as a restated literal.
 */
function describeAssessmentEvent(event: AssessmentEvent): AuditDescription {
  const moved: AuditChange[] = statusChangeOf(event).kind === 'none' ? [] : [status((from: unknown) => statusAfter(event, (from ?? null) as AssessmentStatus | null))];
  switch (event.type) {
    case 'AssessmentStarted':
      return { changes: [...moved, { subject: 'framework', to: `${event.data.frameworkId}@${event.data.frameworkVersion}` }], reason: null };
    case 'CriterionScored': {
      // The files' hashes enter the chain, so the verification can tell a stored file that changed afterwards.
      const files = event.data.evidence.filter((record) => record.kind === 'file');
      const evidence: AuditChange[] = files.length === 0 ? [] : [{ subject: `evidence:${event.data.criterionCode}`, to: files }];
      return { changes: [criterion(event.data.criterionCode, event.data.points), ...evidence], reason: event.data.explanation };
    }
    case 'CriterionAccepted':
      return { changes: [criterion(event.data.criterionCode, event.data.points)], reason: null };
    case 'CriterionAdjusted':
      return { changes: [criterion(event.data.criterionCode, event.data.points, event.data.selfPoints)], reason: event.data.reason };
    case 'AssessmentSubmitted':
      return { changes: [...moved, { subject: 'revision', to: event.data.revision }], reason: null };
    case 'SubmissionWithdrawn':
      return { changes: moved, reason: null };
    case 'ReviewStarted':
      return { changes: moved, reason: null };
    case 'AssessmentReturned':
      return { changes: moved, reason: event.data.comment };
    case 'AssessmentResubmitted':
      return { changes: [...moved, { subject: 'revision', from: event.data.previousRevision, to: event.data.revision }], reason: null };
    case 'ReviewCompleted':
      return { changes: moved, reason: null };
    case 'AssessmentApproved':
      return { changes: moved, reason: null };
    case 'AssessmentSentBack':
      return { changes: moved, reason: event.data.comment };
    case 'ReviewReopened':
      return { changes: moved, reason: event.data.reason };
    case 'AssessmentPublished':
      return { changes: [...moved, { subject: 'decision', to: event.data.decisionNumber }], reason: null };
    case 'AssessmentAppealed':
      return { changes: moved, reason: event.data.reason };
    case 'AppealResolved':
      return {
        changes: [
          ...moved,
          { subject: 'revision', from: event.data.appealedRevision, to: event.data.revision },
          ...event.data.adjustments.map((a) => criterion(a.criterionCode, a.points, a.previousPoints)),
        ],
        reason: event.data.reason,
      };
    case 'ScoresRecalculated':
      return {
        changes: event.data.parts.map((p) => ({
          subject: `part:${p.partCode}`,
          from: { total: p.oldTotal, level: p.oldLevel },
          to: { total: p.newTotal, level: p.newLevel },
        })),
        reason: [event.data.cause.kind, event.data.cause.decisionRef].filter((s) => s !== null && s !== '').join(' '),
      };
    default:
      return assertNever(event, 'assessment event');
  }
}

/**
 * An account event, every type of the union. Who did it is the row's actor (the event's metadata);
 * why is the reason the command required. A grant is its own subject, so the trail reads each
 * role's history (granted → revoked) per scope. Secrets never appear: events carry none.
 */
function describeAccountEvent(event: AccountEvent): AuditDescription {
  const grant = (g: Parameters<typeof describeGrant>[0], to: 'granted' | 'revoked'): AuditChange => ({ subject: `grant:${describeGrant(g)}`, to });
  switch (event.type) {
    case 'AccountInvited':
      return {
        changes: [status('invited'), { subject: 'name', to: event.data.name }, ...event.data.grants.map((g) => grant(g, 'granted'))],
        reason: event.data.reason,
      };
    case 'ActivationLinkIssued':
      return { changes: [{ subject: `link:${event.data.purpose}`, to: `valid until ${event.data.expiresAt}` }], reason: null };
    case 'AccountActivated':
      return { changes: [status('active'), { subject: 'activated_by', to: event.data.method }], reason: null };
    case 'PasswordReset':
      return { changes: [{ subject: 'password', to: 'reset through a link' }], reason: null };
    case 'RoleGranted':
      return { changes: [grant(event.data.grant, 'granted')], reason: event.data.reason };
    case 'RoleRevoked':
      return { changes: [grant(event.data.grant, 'revoked')], reason: event.data.reason };
    case 'AccountDisabled':
      return { changes: [status('disabled')], reason: event.data.reason };
    case 'AccountEnabled':
      return { changes: [status('active')], reason: event.data.reason };
    case 'SignedIn':
      return { changes: [{ subject: 'sign_in', to: event.data.method }], reason: null };
    case 'SignInFailed':
      return { changes: [{ subject: 'sign_in_failure', to: event.data.reason }], reason: null };
    case 'AccountUnlocked':
      return { changes: [{ subject: 'lock', to: 'unlocked' }], reason: event.data.reason };
    case 'SignedOutEverywhere':
      return { changes: [{ subject: 'sessions', to: 'all ended' }], reason: null };
    case 'ApiTokenCreated':
      return { changes: [{ subject: `api_token:${event.data.tokenId}`, to: `created "${event.data.name}", valid until ${event.data.expiresAt}` }], reason: null };
    case 'ApiTokenRevoked':
      return { changes: [{ subject: `api_token:${event.data.tokenId}`, to: 'revoked' }], reason: null };
    case 'OidcSubjectLinked':
      return { changes: [{ subject: 'oidc_subject', to: `${event.data.issuer} ${event.data.subject}` }], reason: null };
    case 'RolesProposedByIdentityProvider':
      return { changes: [{ subject: 'proposed_roles', to: event.data.roles }], reason: `proposed by ${event.data.issuer}; an admin confirms` };
    default:
      return assertNever(event, 'account event');
  }
}

function describeKnown(event: KnownEvent): AuditDescription | null {
  switch (event.type) {
    case 'FrameworkDrafted':
      return { changes: [status('draft'), { subject: 'version', to: event.data.definition.version }], reason: null };
    case 'FrameworkPublished':
      return { changes: [status('published'), { subject: 'version', to: event.data.version }], reason: event.data.decisionReference };
    case 'FrameworkAmended':
      return {
        changes: [{ subject: 'version', from: event.data.fromVersion, to: event.data.version }],
        reason: `${event.data.amendment.cause} (${event.data.amendment.decisionReference})`,
      };
    case 'PeriodOpened':
      return { changes: [status('open'), { subject: 'framework', to: `${event.data.framework.id}@${event.data.framework.version}` }], reason: null };
    case 'SelfAssessmentClosed':
      return { changes: [status('self_assessment_closed')], reason: null };
    case 'PeriodPublished': {
      // The units published without an approved assessment, each with the reason the decision gives.
      const excluded = event.data.exclusions.map((unit) => `${unit.unitCode}: ${unit.reason}`);
      return {
        changes: [status('published'), { subject: 'decision', to: event.data.decisionNumber }, ...(excluded.length > 0 ? [{ subject: 'excluded', to: excluded }] : [])],
        reason: null,
      };
    }
    case 'PeriodCorrected':
      return { changes: [{ subject: 'decision', from: event.data.correctsDecision, to: event.data.decisionNumber }], reason: event.data.reason };
    case 'FrameworkVersionPinned':
      return {
        changes: [{ subject: 'framework', from: `${event.data.frameworkId}@${event.data.previousVersion}`, to: `${event.data.frameworkId}@${event.data.version}` }],
        reason: `${event.data.cause} (${event.data.decisionRef})`,
      };
    case 'PeriodDeadlinesExtended':
      return {
        changes: (['selfAssessment', 'review'] as const)
          .filter((deadline) => event.data.previous[deadline] !== event.data.deadlines[deadline])
          .map((deadline) => ({ subject: `deadline:${deadline}`, from: event.data.previous[deadline], to: event.data.deadlines[deadline] })),
        reason: event.data.reason,
      };
    case 'UnitRegistered':
      return { changes: [status('active'), { subject: 'name', to: event.data.name }, { subject: 'tier', to: event.data.tier }], reason: null };
    case 'UnitRenamed':
      return { changes: [{ subject: 'name', from: event.data.previousName, to: event.data.name }], reason: event.data.decisionRef };
    case 'UnitTypeChanged':
      return {
        changes: [{ subject: 'type', from: event.data.previousType, to: event.data.type }, { subject: 'tier', to: event.data.tier }],
        reason: event.data.decisionRef,
      };
    case 'UnitsMerged':
      return {
        changes: [status('active'), { subject: 'name', to: event.data.name }, { subject: 'predecessors', to: event.data.predecessorCodes }],
        reason: event.data.legalBasis,
      };
    case 'UnitMergedInto':
      return { changes: [status('merged'), { subject: 'successor', to: event.data.successorCode }], reason: event.data.legalBasis };
    case 'UnitDissolved':
      return { changes: [status('dissolved')], reason: event.data.legalBasis };
    default:
      return null;
  }
}

/** A year of results taken from a published decision: marked imported in the trail, never as assessed. */
function describePastResults(data: PastResultsImported['data']): AuditDescription {
  return {
    changes: [{ subject: `imported:${data.year}`, to: { source: 'imported', decision: data.decisionNumber, date: data.decisionDate, results: data.results.length } }],
    reason: `Nhập kết quả đã công bố theo quyết định ${data.decisionNumber} ngày ${data.decisionDate} (không đánh giá trong hệ thống)`,
  };
}

function genericReason(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  for (const key of ['reason', 'comment', 'explanation', 'cause']) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** "2.5", "null", "{total: 40.23, level: II}": short enough for a one-line summary. */
export function formatAuditValue(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** `CriterionAdjusted: criterion:X.1 2.5 → 1.5 — reason` */
export function summarize(type: string, changes: readonly { subject: string; from: unknown; to: unknown }[], reason: string | null): string {
  const parts = changes.map((c) => `${c.subject} ${formatAuditValue(c.from)} → ${formatAuditValue(c.to)}`);
  const head = parts.length > 0 ? `${type}: ${parts.join('; ')}` : type;
  return reason ? `${head} — ${reason}` : head;
}
