import type { DomainEvent } from '@tieuchi/shared/kernel';
import { periodError } from './period.errors';

/**
 * A decision number (số quyết định) belongs to one decision of a province. Each number a period
 * uses is claimed first in a stream of its own, appended expecting no stream, so of two periods
 * racing for one number exactly one append succeeds, on every event store adapter.
 */
export type DecisionNumberReserved = DomainEvent<
  'DecisionNumberReserved',
  {
    readonly provinceCode: string;
    readonly decisionNumber: string;
    readonly periodId: string;
    readonly decision: 'publication' | 'correction';
    readonly reservedBy: string;
    readonly reservedAt: string;
  }
>;

export type DecisionNumberState =
  | { readonly status: 'free' }
  | { readonly status: 'reserved'; readonly periodId: string; readonly decisionNumber: string };

export const initialDecisionNumberState = (): DecisionNumberState => ({ status: 'free' });

export function evolveDecisionNumber(state: DecisionNumberState, event: DecisionNumberReserved): DecisionNumberState {
  if (state.status === 'reserved') return state;
  return { status: 'reserved', periodId: event.data.periodId, decisionNumber: event.data.decisionNumber };
}

/**
 * The same number written with other spacing, case or Unicode composition ("47/qđ-ubnd",
 * "47 / QĐ-UBND") is the same decision.
 */
export function normalizeDecisionNumber(decisionNumber: string): string {
  return decisionNumber.normalize('NFC').replace(/\s+/g, '').toLocaleUpperCase('vi');
}

/** Persisted name: `decision-number-<province>-<number, hex of its UTF-8 bytes>` (hex keeps any number a safe stream name). */
export function decisionNumberStreamId(provinceCode: string, decisionNumber: string): string {
  const hex = [...new TextEncoder().encode(normalizeDecisionNumber(decisionNumber))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `decision-number-${provinceCode}-${hex}`;
}

/**
 * Claims the number for the period. A claim the same period already holds adds nothing: its
 * earlier attempt reserved the number and then lost the race on the period's own stream.
 */
export function reserveDecisionNumber(
  state: DecisionNumberState,
  claim: Omit<DecisionNumberReserved['data'], 'reservedBy' | 'reservedAt'>,
  metadata: { readonly actor: string; readonly occurredAt: string },
): readonly DecisionNumberReserved[] {
  if (state.status === 'reserved') {
    if (state.periodId === claim.periodId) return [];
    throw periodError(
      'PERIOD.DECISION_NUMBER_TAKEN',
      'conflict',
      `Số quyết định ${claim.decisionNumber} đã được dùng cho kỳ ${state.periodId} của tỉnh (decision number already used by period ${state.periodId} of the province).`,
      'data.decisionNumber',
      { decisionNumber: claim.decisionNumber, periodId: state.periodId },
    );
  }
  return [{ type: 'DecisionNumberReserved', data: { ...claim, reservedBy: metadata.actor, reservedAt: metadata.occurredAt } }];
}

/** A publication stored before exclusions were recorded excluded no unit. */
export const periodPublishedV1Upcaster = {
  type: 'PeriodPublished',
  fromSchemaVersion: 1,
  upcast(data: unknown): unknown {
    const stored = data as { exclusions?: unknown };
    return stored.exclusions === undefined ? { ...stored, exclusions: [] } : stored;
  },
} as const;

/** Schema versions of the period events written now. */
export function periodEventSchemaVersion(type: string): number {
  return type === 'PeriodPublished' ? 2 : 1;
}
