import {
  assessmentDecider,
  assessmentEventSchemaVersion,
  initialAssessmentState,
  type AssessmentContext,
  type AssessmentEvent,
  type AssessmentState,
} from '@tieuchi/assessment/domain';
import {
  decideFramework,
  evolveFramework,
  frameworkStreamId,
  frameworkVersion,
  initialFrameworkState,
  type FrameworkEvent,
  type FrameworkState,
} from '@tieuchi/framework/domain';
import { appealWindowEndsAt, decidePeriod, periodWindow, evolvePeriod, initialPeriodState, periodStreamId, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import { assertNever, type EventMetadata, type MessageMetadata } from '@tieuchi/shared/kernel';
import { decideUnit, evolveUnit, initialUnitState, type UnitEvent, type UnitState } from '@tieuchi/unit/domain';
import { daknongCommands, type DaknongStep } from './daknong-commands';
import type { DaknongDemoInput } from './daknong-demo.input';
import { FixtureIds } from './fixture-clock';

export type DaknongEvent = UnitEvent | FrameworkEvent | PeriodEvent | AssessmentEvent;

/** An event as a store would hold it: its stream, positions, id and metadata. */
export interface RecordedDaknongEvent {
  readonly eventId: string;
  readonly streamId: string;
  /** 0-based position within its stream. */
  readonly streamPosition: number;
  /** 0-based position in the order events were decided. */
  readonly globalPosition: number;
  readonly event: DaknongEvent;
  readonly metadata: EventMetadata;
}

export interface DaknongHistory {
  /** Every event in the order it was decided. */
  readonly events: readonly RecordedDaknongEvent[];
  readonly streams: ReadonlyMap<string, readonly RecordedDaknongEvent[]>;
  /** Folded states, by unit code, framework id, period id and assessment stream id. */
  readonly units: ReadonlyMap<string, UnitState>;
  readonly frameworks: ReadonlyMap<string, FrameworkState>;
  readonly periods: ReadonlyMap<string, PeriodState>;
  readonly assessments: ReadonlyMap<string, AssessmentState>;
}

/** Framework, unit and period events are all of their first shape; assessment events say their own. */
const SCHEMA_VERSION = 1;

/** Plays Đắk Nông 2018 and 2019 (see daknongCommands) through the real deciders. */
export function buildDaknongHistory(input: DaknongDemoInput): DaknongHistory {
  return applyDaknongSteps(daknongCommands(input));
}

/**
 * Applies steps in order as command handlers would: load the stream's state, decide, append,
 * evolve. Any refusal is thrown: the demo must be a history the domain accepts, not one written
 * by hand.
 */
export function applyDaknongSteps(steps: readonly DaknongStep[]): DaknongHistory {
  const eventIds = new FixtureIds('daknong-evt');
  const events: RecordedDaknongEvent[] = [];
  const streams = new Map<string, RecordedDaknongEvent[]>();
  const units = new Map<string, UnitState>();
  const frameworks = new Map<string, FrameworkState>();
  const periods = new Map<string, PeriodState>();
  const assessments = new Map<string, AssessmentState>();

  const append = (step: DaknongStep, decided: readonly DaknongEvent[]): void => {
    const stream = streams.get(step.streamId) ?? [];
    streams.set(step.streamId, stream);
    const metadata: EventMetadata = { ...eventMetadata(step.command.metadata), causationId: step.commandId, schemaVersion: SCHEMA_VERSION };
    for (const event of decided) {
      const recorded = {
        eventId: eventIds.next(),
        streamId: step.streamId,
        streamPosition: stream.length,
        globalPosition: events.length,
        event,
        metadata: { ...metadata, schemaVersion: assessmentEventSchemaVersion(event.type) },
      };
      stream.push(recorded);
      events.push(recorded);
    }
  };

  for (const step of steps) {
    switch (step.kind) {
      case 'unit': {
        const decided = decideUnit(step.command, units.get(step.streamId) ?? initialUnitState());
        units.set(step.streamId, decided.reduce(evolveUnit, units.get(step.streamId) ?? initialUnitState()));
        append(step, decided);
        break;
      }
      case 'framework': {
        const state = frameworks.get(step.streamId) ?? initialFrameworkState();
        const decided = decideFramework(step.command, state);
        frameworks.set(step.streamId, decided.reduce(evolveFramework, state));
        append(step, decided);
        break;
      }
      case 'period': {
        const state = periods.get(step.streamId) ?? initialPeriodState();
        const decided = decidePeriod(step.command, state);
        periods.set(step.streamId, decided.reduce(evolvePeriod, state));
        append(step, decided);
        break;
      }
      case 'assessment': {
        const state = assessments.get(step.streamId) ?? initialAssessmentState();
        const decider = assessmentDecider(assessmentContext(step, state, periods, frameworks));
        const decided = decider.decide(step.command, state);
        assessments.set(step.streamId, decided.reduce(decider.evolve, state));
        append(step, decided);
        break;
      }
      default:
        assertNever(step, 'demo step');
    }
  }

  return {
    events,
    streams,
    units: rekey(units, (state) => (state.status === 'unregistered' ? undefined : state.code)),
    frameworks: rekey(frameworks, (state) => (state.status === 'none' ? undefined : state.frameworkId)),
    periods: rekey(periods, (state) => (state.status === 'not_opened' ? undefined : state.periodId)),
    assessments,
  };
}

/**
 * What a handler loads beside the stream: the framework version the assessment is pinned to
 * (the period's pin before it starts) and the period's appeal window.
 */
function assessmentContext(
  step: Extract<DaknongStep, { kind: 'assessment' }>,
  state: AssessmentState,
  periods: ReadonlyMap<string, PeriodState>,
  frameworks: ReadonlyMap<string, FrameworkState>,
): AssessmentContext {
  const period = periods.get(periodStreamId(step.periodId));
  if (!period || period.status === 'not_opened') throw new Error(`${step.commandId}: period ${step.periodId} is not open`);
  const pin = state.status === 'not_started' ? period.framework : state.framework;
  const framework = frameworkVersion(frameworks.get(frameworkStreamId(pin.id)) ?? initialFrameworkState(), pin.version);
  if (!framework) throw new Error(`${step.commandId}: framework ${pin.id} v${pin.version} is not published`);
  return { actor: step.actor, framework, appealWindowEndsAt: appealWindowEndsAt(period), period: periodWindow(period) };
}

function eventMetadata(metadata: MessageMetadata): MessageMetadata {
  const { actor, correlationId, causationId, occurredAt } = metadata;
  return { actor, correlationId, causationId, occurredAt };
}

function rekey<T>(byStream: ReadonlyMap<string, T>, key: (state: T) => string | undefined): ReadonlyMap<string, T> {
  return new Map([...byStream.values()].flatMap((state) => {
    const id = key(state);
    return id === undefined ? [] : [[id, state] as const];
  }));
}
