import type { INestApplication } from '@nestjs/common';
import { type FrameworkDefinition, type FrameworkEvent, type FrameworkState, decideFramework, evolveFramework, initialFrameworkState, type FrameworkCommand } from '@tieuchi/framework/domain';
import { frameworkStreamName } from '@tieuchi/framework/data-access';
import { decidePeriod, evolvePeriod, initialPeriodState, type PeriodCommand, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import { periodStreamName } from '@tieuchi/period/data-access';
import { CommandExecutor } from '@tieuchi/shared/application';
import { decideUnit, evolveUnit, initialUnitState, readDaknongUnitConfig, tierOfUnit, type UnitCommand, type UnitEvent, type UnitListRow, type UnitState } from '@tieuchi/unit/domain';
import { join } from 'node:path';
import { unitStreamName } from '@tieuchi/unit/data-access';

type Input<C extends { type: string; data: unknown }> = Pick<C, 'type' | 'data'>;

let daknong2019: readonly UnitListRow[] | undefined;

/** Đắk Nông's 2019 units (config/units/daknong-2019.csv): province 67, its districts and communes. */
export function daknongUnitRows(): readonly UnitListRow[] {
  daknong2019 ??= readDaknongUnitConfig(join(__dirname, '..', '..', '..', '..', 'config', 'units')).units2019;
  return daknong2019;
}

/** The unit and its ancestors, province first, as the 2019 list records them. */
function daknongChain(code: string): readonly UnitListRow[] {
  const rows = daknongUnitRows();
  const chain: UnitListRow[] = [];
  for (let current: string | null = code; current !== null; ) {
    const row = rows.find((candidate) => candidate.code === current);
    if (!row) throw new Error(`unit ${current} is not in Đắk Nông's 2019 list`);
    chain.unshift(row);
    current = row.parentCode;
  }
  return chain;
}

/**
 * Seeds frameworks, units and periods through the same executor the API uses (load → decide →
 * append) for tests of endpoints whose prerequisites have no HTTP route of their own yet.
 */
export function seedThroughExecutor(app: INestApplication, actor = 'admin@daknong') {
  const executor = app.get(CommandExecutor);
  const context = { actor, correlationId: 'seed-0000' };
  return {
    framework: (frameworkId: string, command: Input<FrameworkCommand>) =>
      executor.execute<FrameworkState, FrameworkEvent>(
        { streamName: frameworkStreamName(frameworkId), initialState: initialFrameworkState, evolve: evolveFramework, decide: (s, metadata) => decideFramework({ ...command, metadata } as FrameworkCommand, s) },
        context,
      ),
    unit: (code: string, command: Input<UnitCommand>) =>
      executor.execute<UnitState, UnitEvent>(
        { streamName: unitStreamName(code), initialState: initialUnitState, evolve: evolveUnit, decide: (s, metadata) => decideUnit({ ...command, metadata } as UnitCommand, s) },
        context,
      ),
    period: (periodId: string, command: Input<PeriodCommand>) =>
      executor.execute<PeriodState, PeriodEvent>(
        { streamName: periodStreamName(periodId), initialState: initialPeriodState, evolve: evolvePeriod, decide: (s, metadata) => decidePeriod({ ...command, metadata } as PeriodCommand, s) },
        context,
      ),
    /**
     * Registers Đắk Nông's units of the 2019 list with their parents (province 67 and the
     * district above a commune), so that each belongs to the province; registered ones are skipped.
     * Answers the last registration's position (GET /units takes it as `after`), null when none was written.
     */
    async daknongUnits(codes: readonly string[]): Promise<string | null> {
      let position: string | null = null;
      for (const row of codes.flatMap(daknongChain)) {
        const { state } = await executor.load<UnitState, UnitEvent>(unitStreamName(row.code), initialUnitState, evolveUnit);
        if (state.status !== 'unregistered') continue;
        position = (await this.unit(row.code, { type: 'RegisterUnit', data: { ...row, tier: tierOfUnit(row.type, row.parentCode) } })).checkpoint ?? position;
      }
      return position;
    },
    async publishedFramework(frameworkId: string, definition: FrameworkDefinition): Promise<void> {
      await this.framework(frameworkId, { type: 'DraftFramework', data: { frameworkId, definition } });
      await this.framework(frameworkId, { type: 'PublishFramework', data: { frameworkId } });
    },
    /** The 2392 framework, the two communes Nâm N'Jang (24728) and Tâm Thắng (24655), and an open period on it. */
    async twoCommunesInOpenPeriod(periodId: string, definition: FrameworkDefinition): Promise<void> {
      await this.publishedFramework(definition.id, definition);
      await this.daknongUnits(['24728', '24655']);
      await this.period(periodId, {
        type: 'OpenPeriod',
        data: {
          periodId,
          provinceCode: '67',
          year: 2019,
          framework: { id: definition.id, version: definition.version },
          deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 },
        },
      });
    },
  };
}
