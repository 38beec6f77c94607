import { parseGroupSplits, parseTargetScores } from './daknong-demo-input.parser';

describe('demo input parsers', () => {
  it('reads one target per unit, part and year column', () => {
    const csv = 'unit_code,unit_name,tier,part,score_2018,score_2019\n662,Cư Jút,district,readiness,37.865,40.23\n';
    expect(parseTargetScores(csv)).toEqual([
      { year: 2018, unitCode: '662', unitName: 'Cư Jút', tier: 'district', partCode: 'readiness', score: 37.865 },
      { year: 2019, unitCode: '662', unitName: 'Cư Jút', tier: 'district', partCode: 'readiness', score: 40.23 },
    ]);
  });

  it('names the line and column of a score that is not a number', () => {
    expect(() => parseTargetScores('unit_code,unit_name,tier,part,score_2018\n662,Cư Jút,district,readiness,\n')).toThrow(
      'CSV line 2: score_2018 "" is not a number',
    );
  });

  it('reads group splits with their notes, quoted commas included', () => {
    const csv = 'year,unit_code,part,group,points,note\n2018,662,readiness,CS,5.865,"CS 39 %, unranked"\n';
    expect(parseGroupSplits(csv)).toEqual([
      { year: 2018, unitCode: '662', partCode: 'readiness', groupCode: 'CS', points: 5.865, note: 'CS 39 %, unranked' },
    ]);
    expect(() => parseGroupSplits('year,unit_code,part,group,points\n2018,662,readiness,CS,1\n')).toThrow('no column note');
  });
});
