import { criterionScoredV1Upcaster } from '@tieuchi/assessment/domain';
import { periodPublishedV1Upcaster } from '@tieuchi/period/domain';
import { UpcasterRegistry } from '@tieuchi/shared/event-store';

/** Every stored event shape the current code reads through an upcaster; the API and the worker open their stores with it. */
export function eventUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry().register(criterionScoredV1Upcaster).register(periodPublishedV1Upcaster);
}
