import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { loadFrameworkVersion } from '@tieuchi/framework/data-access';
import {
  decidePeriod,
  type DecisionNumberReserved,
  type DecisionNumberState,
  evolveDecisionNumber,
  evolvePeriod,
  initialDecisionNumberState,
  initialPeriodState,
  type PeriodCommand,
  type PeriodEvent,
  periodEventSchemaVersion,
  type PeriodState,
  reserveDecisionNumber,
} from '@tieuchi/period/domain';
import { decisionNumberStreamName, PUBLICATION_ROLL, type PublicationRoll, periodStreamName } from '@tieuchi/period/data-access';
import { CLOCK, type Clock, CommandExecutor, type CommandOutcome, CONCURRENT_WRITE, type RequestContext } from '@tieuchi/shared/application';
import { assertCoversProvince } from '@tieuchi/shared/auth';
import { evolveUnit, initialUnitState, type UnitEvent, type UnitState } from '@tieuchi/unit/domain';
import { unitStreamName } from '@tieuchi/unit/data-access';
import { DomainError, isDomainError } from '@tieuchi/shared/kernel';
import { ExecutePeriodCommand, type PeriodCommandInput } from './execute-period-command';

/** A period command as the decider takes it, before the executor stamps its metadata. */
type UnstampedCommand = { [K in PeriodCommand['type']]: Pick<Extract<PeriodCommand, { type: K }>, 'type' | 'data'> }[PeriodCommand['type']];
type DecisionCommand = Extract<UnstampedCommand, { type: 'PublishPeriod' | 'CorrectPeriod' }>;

@CommandHandler(ExecutePeriodCommand)
export class ExecutePeriodCommandHandler implements ICommandHandler<ExecutePeriodCommand, CommandOutcome<PeriodEvent>> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(PUBLICATION_ROLL) private readonly roll: PublicationRoll,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ periodId, command: input, request }: ExecutePeriodCommand): Promise<CommandOutcome<PeriodEvent>> {
    try {
      await this.authorizeInProvince(periodId, input, request);
      // A period pins a published framework version; the period decider cannot see frameworks, so the handler checks.
      if (input.type === 'OpenPeriod') await this.requirePublishedVersion(input.data.framework.id, input.data.framework.version, 'framework');
      if (input.type === 'PinFrameworkVersion') await this.requirePublishedVersion(input.data.frameworkId, input.data.version, 'version');
      const command = await this.completed(periodId, input);
      if (command.type === 'PublishPeriod' || command.type === 'CorrectPeriod') await this.claimDecisionNumber(periodId, command, request);
      return await this.executor.execute<PeriodState, PeriodEvent>(
        {
          streamName: periodStreamName(periodId),
          initialState: initialPeriodState,
          evolve: evolvePeriod,
          schemaVersionOf: periodEventSchemaVersion,
          decide: (state, metadata) => decidePeriod({ ...command, metadata } as PeriodCommand, state),
        },
        request,
      );
    } catch (error) {
      // Period deciders name fields from the command's root (`data.decisionNumber`); the body is the data.
      if (isDomainError(error) && error.field?.startsWith('data.')) {
        throw new DomainError(error.code, error.category, error.message, error.field.slice('data.'.length), error.details);
      }
      throw error;
    }
  }

  /**
   * A period belongs to the province it was opened for: it is opened for a registered province
   * only, and an admin whose role is held for another province may neither open it nor act on it
   * (403 AUTH.OTHER_PROVINCE), before anything is decided or an earlier answer replayed.
   */
  private async authorizeInProvince(periodId: string, command: ExecutePeriodCommand['command'], request: RequestContext): Promise<void> {
    if (command.type === 'OpenPeriod') {
      const { provinceCode } = command.data;
      if (request.principal) assertCoversProvince(request.principal, provinceCode);
      const { state } = await this.executor.load<UnitState, UnitEvent>(unitStreamName(provinceCode), initialUnitState, evolveUnit);
      if (state.status !== 'active' || state.tier !== 'province') {
        throw new DomainError('PERIOD.UNKNOWN_PROVINCE', 'conflict', `There is no registered province with code ${provinceCode}.`, 'provinceCode', { provinceCode });
      }
      return;
    }
    if (!request.principal) return;
    const { state } = await this.executor.loadState<PeriodState, PeriodEvent>(periodStreamName(periodId), initialPeriodState, evolvePeriod);
    // A period that does not exist is answered 404 by the decider, whoever asks.
    if (state.status !== 'not_opened') assertCoversProvince(request.principal, state.provinceCode);
  }

  /** A publication learns here which units of the province have no approved assessment, as they stand now. */
  private async completed(periodId: string, input: PeriodCommandInput): Promise<UnstampedCommand> {
    if (input.type !== 'PublishPeriod') return input;
    const { state } = await this.executor.loadState<PeriodState, PeriodEvent>(periodStreamName(periodId), initialPeriodState, evolvePeriod);
    if (state.status !== 'self_assessment_closed') return { ...input, data: { ...input.data, unitsWithoutApproval: [] } };
    const framework = await loadFrameworkVersion(this.executor, state.framework.id, state.framework.version);
    const tiers = framework?.tiers.map((tier) => tier.tier) ?? [];
    const unitsWithoutApproval = await this.roll.unitsWithoutApproval({ periodId, provinceCode: state.provinceCode, year: state.year, tiers });
    return { ...input, data: { ...input.data, unitsWithoutApproval } };
  }

  /**
   * Claims the decision number in its own stream (expected: no stream) before the period's append,
   * so of two periods racing for one number exactly one gets it. The period's rules are checked
   * first; a claim whose period append then loses a race stays with the period for its retry.
   */
  private async claimDecisionNumber(periodId: string, command: DecisionCommand, request: RequestContext): Promise<void> {
    const { state } = await this.executor.loadState<PeriodState, PeriodEvent>(periodStreamName(periodId), initialPeriodState, evolvePeriod);
    const metadata = { actor: request.actor, correlationId: request.correlationId, causationId: request.correlationId, occurredAt: this.clock.now().toISOString() };
    decidePeriod({ ...command, metadata } as PeriodCommand, state);
    if (state.status === 'not_opened') return;
    const { ifMatch: _periodVersion, ...claimRequest } = request;
    const claim = {
      provinceCode: state.provinceCode,
      decisionNumber: command.data.decisionNumber.trim(),
      periodId,
      decision: command.type === 'PublishPeriod' ? ('publication' as const) : ('correction' as const),
    };
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.executor.execute<DecisionNumberState, DecisionNumberReserved>(
          {
            streamName: decisionNumberStreamName(claim.provinceCode, claim.decisionNumber),
            initialState: initialDecisionNumberState,
            evolve: evolveDecisionNumber,
            decide: (held, at) => reserveDecisionNumber(held, claim, at),
          },
          claimRequest,
        );
        return;
      } catch (error) {
        // Another claim was appended between the read and the append: read it, and refuse by it.
        if (isDomainError(error) && error.code === CONCURRENT_WRITE && attempt < 2) continue;
        throw error;
      }
    }
  }

  private async requirePublishedVersion(frameworkId: string, version: number, field: string): Promise<void> {
    if (!(await loadFrameworkVersion(this.executor, frameworkId, version))) {
      throw new DomainError('PERIOD.FRAMEWORK_VERSION_NOT_PUBLISHED', 'validation', `Framework ${frameworkId} has no published version ${version}`, field, {
        frameworkId,
        version,
      });
    }
  }
}
