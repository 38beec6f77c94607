import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { evolveFramework, type FrameworkEvent, type FrameworkState, frameworkVersion, initialFrameworkState } from '@tieuchi/framework/domain';
import { frameworkStreamName } from '@tieuchi/framework/data-access';
import { decidePeriod, evolvePeriod, initialPeriodState, type PeriodCommand, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import { periodStreamName } from '@tieuchi/period/data-access';
import { CommandExecutor, type CommandOutcome, type RequestContext } from '@tieuchi/shared/application';
import { assertCoversProvince } from '@tieuchi/shared/auth';
import { evolveUnit, initialUnitState, type UnitEvent, type UnitState } from '@tieuchi/unit/domain';
import { unitStreamName } from '@tieuchi/unit/data-access';
import { DomainError, isDomainError } from '@tieuchi/shared/kernel';
import { ExecutePeriodCommand } from './execute-period-command';

@CommandHandler(ExecutePeriodCommand)
export class ExecutePeriodCommandHandler implements ICommandHandler<ExecutePeriodCommand, CommandOutcome<PeriodEvent>> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ periodId, command, request }: ExecutePeriodCommand): Promise<CommandOutcome<PeriodEvent>> {
    try {
      await this.authorizeInProvince(periodId, command, request);
      // A period pins a published framework version; the period decider cannot see frameworks, so the handler checks.
      if (command.type === 'OpenPeriod') await this.requirePublishedVersion(command.data.framework.id, command.data.framework.version, 'framework');
      if (command.type === 'PinFrameworkVersion') await this.requirePublishedVersion(command.data.frameworkId, command.data.version, 'version');
      return await this.executor.execute<PeriodState, PeriodEvent>(
        {
          streamName: periodStreamName(periodId),
          initialState: initialPeriodState,
          evolve: evolvePeriod,
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

  private async requirePublishedVersion(frameworkId: string, version: number, field: string): Promise<void> {
    const { state } = await this.executor.load<FrameworkState, FrameworkEvent>(frameworkStreamName(frameworkId), initialFrameworkState, evolveFramework);
    if (!frameworkVersion(state, version)) {
      throw new DomainError('PERIOD.FRAMEWORK_VERSION_NOT_PUBLISHED', 'validation', `Framework ${frameworkId} has no published version ${version}`, field, {
        frameworkId,
        version,
      });
    }
  }
}
