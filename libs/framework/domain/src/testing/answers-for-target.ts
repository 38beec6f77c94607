import { assertNever } from '@tieuchi/shared/kernel';
import type { CriterionAnswer, PartDefinition } from '../lib/framework-definition';
import { roundScore } from '../lib/scoring/rounding';

/**
 * Test helper: answers that make a `sum` part add up to `target`. Yes/no and banded criteria go
 * first (whole maximum or best range, when it fits), then ratio and manual criteria take the rest,
 * to any decimals. Throws when the part cannot reach the target; `notApplicable` are answered N/A.
 */
export function answersForTarget(
  part: PartDefinition,
  target: number,
  notApplicable: readonly string[] = [],
): Map<string, CriterionAnswer> {
  const answers = new Map<string, CriterionAnswer>();
  let remaining = target;
  const criteria = part.groups.flatMap((group) => group.criteria);
  const continuous = (kind: string) => kind === 'ratio' || kind === 'manual';
  const ordered = [...criteria.filter((c) => !continuous(c.rule.kind)), ...criteria.filter((c) => continuous(c.rule.kind))];
  for (const criterion of ordered) {
    if (notApplicable.includes(criterion.code)) {
      answers.set(criterion.code, { kind: 'not_applicable' });
      continue;
    }
    const rule = criterion.rule;
    let points: number;
    switch (rule.kind) {
      case 'yes_no':
        points = remaining >= criterion.maxPoints ? criterion.maxPoints : 0;
        answers.set(criterion.code, { kind: 'value', value: points > 0 });
        break;
      case 'banded': {
        const band = [...rule.bands].reverse().find((b) => b.points <= remaining) ?? rule.bands[0];
        if (!band) throw new Error(`criterion ${criterion.code} has no ranges`);
        points = band.points;
        answers.set(criterion.code, { kind: 'value', value: band.from });
        break;
      }
      case 'ratio':
        points = Math.min(remaining, criterion.maxPoints);
        answers.set(criterion.code, { kind: 'value', value: (points / criterion.maxPoints) * rule.target });
        break;
      case 'manual':
        points = Math.min(remaining, criterion.maxPoints);
        answers.set(criterion.code, { kind: 'value', value: points });
        break;
      default:
        return assertNever(rule, 'scoring rule');
    }
    remaining = roundScore(remaining - points, { decimals: 6, mode: 'half_up' });
  }
  if (remaining !== 0) throw new Error(`part ${part.code} cannot reach ${target}: ${remaining} left over`);
  return answers;
}
