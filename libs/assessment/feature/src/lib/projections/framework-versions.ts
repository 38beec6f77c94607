import { frameworkStreamName } from '@tieuchi/framework/data-access';
import {
  evolveFramework,
  type FrameworkDefinition,
  type FrameworkEvent,
  frameworkVersion,
  initialFrameworkState,
  type PartScore,
  scorePart,
} from '@tieuchi/framework/domain';
import type { CriterionAnswer } from '@tieuchi/framework/domain';
import type { EventStore } from '@tieuchi/shared/event-store';
import { isDomainError } from '@tieuchi/shared/kernel';

/**
 * Framework versions read straight from their streams for projections (which have no request,
 * hence no AssessmentContextLoader). Published versions never change, so each is read once.
 */
export class FrameworkVersions {
  private readonly cache = new Map<string, FrameworkDefinition>();

  constructor(private readonly source: EventStore) {}

  async load(frameworkId: string, version: number): Promise<FrameworkDefinition | null> {
    const key = `${frameworkId}@${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const events = await this.source.readStream(frameworkStreamName(frameworkId));
    const state = events.reduce((s, e) => evolveFramework(s, { type: e.type, data: e.data } as FrameworkEvent), initialFrameworkState());
    const found = frameworkVersion(state, version);
    if (found) this.cache.set(key, found);
    return found ?? null;
  }
}

/**
 * Every part of the tier scored from the effective answers (reviewed over self). An answer the
 * framework refuses (a criterion removed by an amendment) leaves that part out rather than
 * stopping the projection: the assessment's own commands surface such errors.
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
