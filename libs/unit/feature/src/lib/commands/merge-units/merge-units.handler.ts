import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@tieuchi/shared/application';
import type { MessageMetadata } from '@tieuchi/shared/kernel';
import { decideUnit, type UnitState } from '@tieuchi/unit/domain';
import { unitStreamName } from '@tieuchi/unit/data-access';
import { withRequestFields } from '../../request-field';
import { unitProvince } from '../../unit-jurisdiction';
import { executeUnitCommand, loadUnit } from '../../unit-streams';
import { assertCoversProvince } from '@tieuchi/shared/auth';
import { MergeUnitsCommand, type MergeUnitsResult } from './merge-units.command';

/**
 * A merge appends to several streams (UnitsMerged on the successor, then UnitMergedInto on each
 * other predecessor) with no transaction across them. A retry completes a half-done merge: steps
 * already recorded are skipped, and Idempotency-Key-derived event ids never append a step twice.
 */
@CommandHandler(MergeUnitsCommand)
export class MergeUnitsHandler implements ICommandHandler<MergeUnitsCommand, MergeUnitsResult> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ data, request }: MergeUnitsCommand): Promise<MergeUnitsResult> {
    return withRequestFields(async () => {
      // If-Match names the successor's version; the predecessors' streams are other resources.
      const { ifMatch: _ifMatch, ...predecessorRequest } = request;
      const absorbed = data.predecessorCodes.filter((code) => code !== data.successorCode);
      // Every step is decided once before the first append, so bad input leaves nothing half-merged.
      const check: MessageMetadata = { actor: request.actor, correlationId: request.correlationId, causationId: 'merge-check', occurredAt: new Date(0).toISOString() };
      const predecessorStates = new Map<string, UnitState>();
      for (const code of absorbed) {
        const { state } = await loadUnit(this.executor, code);
        if (!alreadyMergedInto(state, data.successorCode)) decideUnit({ ...recordMergedInto(code, data), metadata: check }, state);
        predecessorStates.set(code, state);
      }
      const loaded = await loadUnit(this.executor, data.successorCode);
      const mergeRecorded = recordsMerge(loaded.state, data);
      // A merge reorganises the units it absorbs: the caller's admin role must reach each one's
      // province (an absorbed unit keeps its parent; a successor that records the merge has the new one).
      if (request.principal) {
        const judged = mergeRecorded ? absorbed : data.predecessorCodes;
        for (const code of judged) assertCoversProvince(request.principal, await unitProvince(this.executor, code));
      }
      if (!mergeRecorded) decideUnit({ type: 'MergeUnits', data, metadata: check }, loaded.state);

      let successor: MergeUnitsResult['successor'] = { streamName: unitStreamName(data.successorCode), version: loaded.version, events: [] };
      let position: string | null = null;
      if (!mergeRecorded) {
        const outcome = await executeUnitCommand(this.executor, data.successorCode, { type: 'MergeUnits', data }, request);
        successor = { streamName: outcome.streamName, version: outcome.version, events: outcome.events.map((event) => event.type) };
        position = outcome.checkpoint;
      }

      const predecessors: MergeUnitsResult['predecessors'][number][] = [];
      for (const code of absorbed) {
        const state = predecessorStates.get(code);
        if (state && alreadyMergedInto(state, data.successorCode)) {
          const { version } = await loadUnit(this.executor, code);
          predecessors.push({ code, streamName: unitStreamName(code), version, events: [] });
          continue;
        }
        const outcome = await executeUnitCommand(this.executor, code, recordMergedInto(code, data), predecessorRequest);
        position = outcome.checkpoint ?? position;
        predecessors.push({ code, streamName: outcome.streamName, version: outcome.version, events: outcome.events.map((event) => event.type) });
      }
      return { successor, predecessors, position };
    });
  }
}

function recordMergedInto(code: string, data: MergeUnitsCommand['data']) {
  return {
    type: 'RecordUnitMergedInto' as const,
    data: { code, successorCode: data.successorCode, effectiveDate: data.effectiveDate, legalBasis: data.legalBasis },
  };
}

function alreadyMergedInto(state: UnitState, successorCode: string): boolean {
  return state.status === 'merged_into' && state.successorCode === successorCode;
}

/** The successor's stream already holds this very merge (a retry after a partial failure). */
function recordsMerge(state: UnitState, data: MergeUnitsCommand['data']): boolean {
  if (state.status === 'unregistered') return false;
  return state.merges.some(
    (merge) =>
      merge.effectiveDate === data.effectiveDate &&
      merge.predecessorCodes.length === data.predecessorCodes.length &&
      merge.predecessorCodes.every((code, i) => code === data.predecessorCodes[i]),
  );
}
