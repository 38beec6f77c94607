import { isDomainError, type DomainError } from '@tieuchi/shared/kernel';
import { parseFrameworkDefinition } from './framework-definition.parser';
import { validateFrameworkDefinition } from './framework-definition.validator';

/** A minimal valid definition, as YAML, that each test breaks in one place. */
const valid = `
id: tiny
title: Tiny framework
tiers:
  - tier: district
    parts:
      - code: readiness
        title: Điều kiện sẵn sàng
        maxPoints: 10
        groups:
          - code: HT
            title: Hạ tầng
            criteria:
              - code: A.1
                title: Có mạng LAN
                maxPoints: 4
                rule: { kind: yes_no }
              - code: A.2
                title: Điểm chấm
                maxPoints: 6
                rule: { kind: manual }
        levels:
          - { level: I, label: Mức I, minScore: 8 }
          - { level: II, label: Mức II, minScore: 5 }
`;

function refusal(text: string): DomainError {
  try {
    parseFrameworkDefinition(text, 'test.yaml');
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected the definition to be refused');
}

describe('parseFrameworkDefinition', () => {
  it('fills in the defaults a file may leave out', () => {
    const definition = parseFrameworkDefinition(valid);
    expect(definition.version).toBe(1);
    expect(definition.rounding).toEqual({ decimals: 2, mode: 'half_up' });
    expect(definition.notApplicableRescaling).toBe(false);
    const part = definition.tiers[0]!.parts[0]!;
    expect(part.aggregation).toBe('sum');
    expect(part.groups[0]!.criteria[0]).toMatchObject({ mayBeNotApplicable: false, evidenceRequired: false, explanationRequired: false });
  });

  it('keeps a criterion marked publicEvidence, leaves the flag out of the others, and refuses a flag that is not a boolean', () => {
    const marked = valid.replace('rule: { kind: yes_no }', 'rule: { kind: yes_no }\n                publicEvidence: true');
    const criteria = parseFrameworkDefinition(marked).tiers[0]!.parts[0]!.groups[0]!.criteria;
    expect(criteria[0]!.publicEvidence).toBe(true);
    expect(criteria[1]).not.toHaveProperty('publicEvidence');
    const error = refusal(valid.replace('rule: { kind: yes_no }', "rule: { kind: yes_no }\n                publicEvidence: 'có'"));
    expect(error.field).toContain('publicEvidence');
  });

  it('returns a frozen definition and leaves its input untouched', () => {
    const input: unknown = JSON.parse(JSON.stringify(parseFrameworkDefinition(valid)));
    const copy = structuredClone(input);
    const definition = validateFrameworkDefinition(input);
    expect(input).toEqual(copy);
    expect(Object.isFrozen(definition.tiers[0]!.parts[0]!.levels[0])).toBe(true);
  });

  it.each([
    ['a criterion maximum of the wrong type', valid.replace('maxPoints: 4', 'maxPoints: four'), 'tiers[0].parts[0].groups[0].criteria[0].maxPoints'],
    ['a missing title', valid.replace('title: Tiny framework\n', ''), 'title'],
    ['an unknown property', valid.replace('maxPoints: 6', 'maxPoints: 6\n                maxPoint: 6'), 'tiers[0].parts[0].groups[0].criteria[1].maxPoint'],
    ['an unknown rule kind', valid.replace('{ kind: manual }', '{ kind: guess }'), 'tiers[0].parts[0].groups[0].criteria[1].rule.kind'],
    ['a ratio without a target', valid.replace('{ kind: manual }', '{ kind: ratio }'), 'tiers[0].parts[0].groups[0].criteria[1].rule.target'],
    ['a negative minimum score', valid.replace('minScore: 5', 'minScore: -5'), 'tiers[0].parts[0].levels[1].minScore'],
    ['a group share above 1', valid.replace('minScore: 5 }', 'minScore: 5, minGroupShares: { HT: 1.5 } }'), 'tiers[0].parts[0].levels[1].minGroupShares.HT'],
  ])('names the path of %s', (_what, text, field) => {
    const error = refusal(text);
    expect(error.code).toBe('FRAMEWORK.INVALID_DEFINITION');
    expect(error.category).toBe('validation');
    expect(error.field).toBe(field);
    expect(error.message).toContain('test.yaml');
  });

  it.each([
    ['duplicate criterion codes', valid.replace('code: A.2', 'code: A.1'), 'tiers[0].parts[0].groups[0].criteria[1].code', 'duplicate criterion'],
    ['maxima that do not add up to the part', valid.replace('maxPoints: 6', 'maxPoints: 5'), 'tiers[0].parts[0].maxPoints', 'add up to 9'],
    ['levels out of order', valid.replace('minScore: 5', 'minScore: 9'), 'tiers[0].parts[0].levels[1].minScore', 'highest down'],
    ['a level above the maximum', valid.replace('minScore: 8', 'minScore: 11'), 'tiers[0].parts[0].levels[0].minScore', 'above'],
    ['a group minimum naming no group', valid.replace('minScore: 5 }', 'minScore: 5, minGroupShares: { NL: 0.5 } }'), 'tiers[0].parts[0].levels[1].minGroupShares.NL', 'no group'],
    ['a weight in a summed part', valid.replace('title: Hạ tầng', 'title: Hạ tầng\n            weight: 1'), 'tiers[0].parts[0].groups[0].weight', 'weighted'],
    ['weights not adding up to 1', valid.replace('maxPoints: 10\n', 'maxPoints: 10\n        aggregation: weighted\n').replace('title: Hạ tầng', 'title: Hạ tầng\n            weight: 0.9'), 'tiers[0].parts[0].groups', 'not 1'],
    ['a weighted group without a weight', valid.replace('maxPoints: 10\n', 'maxPoints: 10\n        aggregation: weighted\n'), 'tiers[0].parts[0].groups[0].weight', 'weight'],
    ['overlapping banded ranges', valid.replace('{ kind: manual }', '{ kind: banded, bands: [{ from: 0, to: 5, points: 0 }, { from: 4, points: 6 }] }'), 'tiers[0].parts[0].groups[0].criteria[1].rule.bands[1].from', 'overlap'],
    ['an empty banded range', valid.replace('{ kind: manual }', '{ kind: banded, bands: [{ from: 5, to: 5, points: 0 }, { from: 5, points: 6 }] }'), 'tiers[0].parts[0].groups[0].criteria[1].rule.bands[0].to', 'empty'],
    ['an open range before the last', valid.replace('{ kind: manual }', '{ kind: banded, bands: [{ from: 0, points: 0 }, { from: 5, points: 6 }] }'), 'tiers[0].parts[0].groups[0].criteria[1].rule.bands[0].to', 'open-ended'],
    ['band points above the criterion maximum', valid.replace('{ kind: manual }', '{ kind: banded, bands: [{ from: 0, points: 7 }] }'), 'tiers[0].parts[0].groups[0].criteria[1].rule.bands[0].points', 'above'],
    ['duplicate level codes', valid.replace('level: II', 'level: I'), 'tiers[0].parts[0].levels[1].level', 'duplicate level'],
  ])('refuses %s, naming the field', (_what, text, field, message) => {
    const error = refusal(text);
    expect(error.code).toBe('FRAMEWORK.INVALID_DEFINITION');
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
    expect(error.details?.['issues']).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('refuses text that is not YAML, with its position', () => {
    const error = refusal('id: [unclosed\ntitle: x');
    expect(error.code).toBe('FRAMEWORK.MALFORMED_DEFINITION');
    expect(error.details).toEqual(expect.objectContaining({ line: expect.any(Number), column: expect.any(Number) }));
  });

  it('refuses duplicate keys, which YAML would otherwise let the last one win', () => {
    expect(refusal(`${valid}\nid: again\n`).code).toBe('FRAMEWORK.MALFORMED_DEFINITION');
  });
});

describe('validateFrameworkDefinition', () => {
  it('accepts a definition built in code with optional properties left undefined', () => {
    const built = parseFrameworkDefinition(valid);
    const part = built.tiers[0]!.parts[0]!;
    const withUndefined = { ...built, legalBasis: undefined, tiers: [{ ...built.tiers[0]!, parts: [{ ...part, groups: part.groups.map((g) => ({ ...g, weight: undefined })) }] }] };
    expect(validateFrameworkDefinition(withUndefined)).toEqual(built);
  });

  it('refuses something that is not a definition at all', () => {
    expect(() => validateFrameworkDefinition(undefined)).toThrow('Invalid framework definition');
    expect(() => validateFrameworkDefinition({ ...parseFrameworkDefinition(valid), version: Number.NaN })).toThrow('version');
  });
});
