import type { FrameworkDefinition } from '@tieuchi/framework/domain';
import type { PeriodWindow } from '@tieuchi/period/domain';

export type AssessmentRole = 'unit_editor' | 'unit_lead' | 'reviewer' | 'approver' | 'administrator' | 'system';

/** Who acts, as the API's auth layer knows them; `id` must equal the command's `metadata.actor`. */
export interface AssessmentActor {
  readonly id: string;
  readonly roles: readonly AssessmentRole[];
  /** Units the actor belongs to: editors and leads act for these, reviewers never review them. */
  readonly unitCodes: readonly string[];
}

/**
 * What a command handler loads beside the stream so that decide stays pure: the actor's roles,
 * the framework version the period pins, and the period's appeal window.
 */
export interface AssessmentContext {
  readonly actor: AssessmentActor;
  readonly framework: FrameworkDefinition;
  /** `appealWindowEndsAt(period)` from @tieuchi/period/domain (exclusive); null before publication. */
  readonly appealWindowEndsAt: string | null;
  /**
   * `periodWindow(period)` from @tieuchi/period/domain: its status, deadlines and the decision in
   * force. Null only where no command depends on it (recalculation); every command that does
   * refuses without it.
   */
  readonly period: PeriodWindow | null;
}
