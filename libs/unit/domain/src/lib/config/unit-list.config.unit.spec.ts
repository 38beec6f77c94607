import { foldEvents, type MessageMetadata } from '@tieuchi/shared/kernel';
import { join } from 'node:path';
import { unitDecider } from '../unit.decider';
import type { UnitEvent } from '../unit.events';
import type { UnitState } from '../unit.state';
import { readDaknongUnitConfig } from './unit-config.files';
import {
  DAKNONG_2025_MERGE_POLICY,
  changeUnitTypeCommands,
  dissolveTierCommands,
  parseUnitList,
  registerUnitCommands,
  reorganisationCommands,
  tierOfUnit,
} from './unit-list.config';

const metadata: MessageMetadata = { actor: 'system:import', correlationId: 'import', causationId: 'import', occurredAt: '2019-12-31T00:00:00Z' };
const config = readDaknongUnitConfig(join(__dirname, '../../../../../../config/units'));

describe('Đắk Nông unit configuration', () => {
  const { units2019, reorganisation2025, typeChanges2020 } = config;
  const count = (tier: string): number => units2019.filter((u) => tierOfUnit(u.type, u.parentCode) === tier).length;
  const communeCodes = units2019.filter((u) => tierOfUnit(u.type, u.parentCode) === 'commune').map((u) => u.code);

  it('holds 79 assessed units of 2019 (8 districts, 71 communes) under the province', () => {
    expect([count('province'), count('district'), count('commune')]).toEqual([1, 8, 71]);
    expect(count('district') + count('commune')).toBe(79);
    expect(new Set(units2019.map((u) => u.code)).size).toBe(units2019.length);
  });

  it('keeps official codes and Vietnamese names', () => {
    expect(units2019.find((u) => u.code === '660')).toEqual({ code: '660', name: 'Gia Nghĩa', type: 'thị xã', parentCode: '67' });
    expect(units2019.find((u) => u.code === '24728')?.name).toBe("Nâm N'Jang");
  });

  it('puts every 2019 commune in exactly one 2025 merge, with 28 successors', () => {
    expect(reorganisation2025).toHaveLength(28);
    const absorbed = reorganisation2025.flatMap((row) => row.predecessorCodes);
    expect([...absorbed].sort()).toEqual([...communeCodes].sort());
  });

  it('turns the 2019 list into RegisterUnit commands with derived tiers', () => {
    const commands = registerUnitCommands(units2019, metadata);
    expect(commands).toHaveLength(80);
    expect(commands[0]).toEqual({
      type: 'RegisterUnit',
      data: { code: '67', name: 'Đắk Nông', type: 'tỉnh', tier: 'province', parentCode: null },
      metadata,
    });
  });

  it('replays registration, the 2020 type changes and the 2025 reorganisation through the decider', () => {
    const streams = new Map<string, UnitEvent[]>();
    const run = (code: string, command: Parameters<typeof unitDecider.decide>[0]): void => {
      const events = streams.get(code) ?? [];
      streams.set(code, [...events, ...unitDecider.decide(command, foldEvents(unitDecider, events))]);
    };
    for (const command of registerUnitCommands(units2019, metadata)) run(command.data.code, command);
    for (const command of changeUnitTypeCommands(typeChanges2020, metadata)) run(command.data.code, command);
    const { merges, mergedInto } = reorganisationCommands(reorganisation2025, DAKNONG_2025_MERGE_POLICY, metadata);
    for (const command of merges) run(command.data.successorCode, command);
    for (const command of mergedInto) run(command.data.code, command);
    const legal = { effectiveDate: '2025-07-01', legalBasis: 'district tier abolished (caller-supplied basis)' };
    for (const command of dissolveTierCommands(units2019, 'district', legal, metadata)) run(command.data.code, command);

    const states = new Map<string, UnitState>([...streams].map(([code, events]) => [code, foldEvents(unitDecider, events)]));
    const withStatus = (status: UnitState['status']): number => [...states.values()].filter((s) => s.status === status).length;
    expect(withStatus('active')).toBe(1 + 28);
    expect(withStatus('merged_into')).toBe(71 - 28);
    expect(withStatus('dissolved')).toBe(8);
    expect(states.get('24611')).toMatchObject({ status: 'active', name: 'Bắc Gia Nghĩa', tier: 'commune', parentCode: '68' });
    expect(states.get('24612')).toMatchObject({ status: 'merged_into', successorCode: '24611' });
    expect(states.get('660')).toMatchObject({ status: 'dissolved', type: 'thành phố' });
    expect(states.get('24619')).toMatchObject({ status: 'merged_into', type: 'phường' });
  });

  it('reads CRLF files and rejects a row with a missing field', () => {
    expect(parseUnitList('code,name,type,parent_code,parent_name\r\n67,Đắk Nông,tỉnh,,\r\n')).toHaveLength(1);
    expect(() => parseUnitList('code,name,type,parent_code,parent_name\n67,Đắk Nông\n')).toThrow('CSV line 2');
  });
});
