import { isDomainError } from '@tieuchi/shared/kernel';
import type { CriterionAnswer, FrameworkDefinition } from '../framework-definition';
import { type PartScore, scorePart } from './scoring-engine';

/**
 * Every part of the tier scored from the answers that count (a read model's view of an assessment).
 * An answer the framework refuses (a criterion removed by an amendment) leaves that part out rather
 * than stopping the reader: the assessment's own commands surface such errors.
 */
export function scoreTierParts(framework: FrameworkDefinition, tier: string, answers: ReadonlyMap<string, CriterionAnswer>): PartScore[] {
  const parts = framework.tiers.find((t) => t.tier === tier)?.parts ?? [];
  return parts.flatMap((part) => {
    try {
      return [scorePart(framework, tier, part.code, answers)];
    } catch (error) {
      if (isDomainError(error)) return [];
      throw error;
    }
  });
}
