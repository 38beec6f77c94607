import { frameworkStreamId } from '@tieuchi/framework/domain';

/** One stream per framework id; the domain owns the name, so that the demo history uses the same. */
export function frameworkStreamName(frameworkId: string): string {
  return frameworkStreamId(frameworkId);
}
