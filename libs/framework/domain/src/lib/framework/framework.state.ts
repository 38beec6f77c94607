import { assertNever } from '@tieuchi/shared/kernel';
import type { FrameworkDefinition } from '../framework-definition';
import type { FrameworkAmendment } from './framework-amendment';

/** One published version, kept forever: periods pin a version and must read it back unchanged. */
export interface FrameworkVersion {
  readonly version: number;
  readonly definition: FrameworkDefinition;
  readonly effectiveAt: string;
  readonly by: string;
  readonly decisionReference: string | null;
  /** Null for version 1; the amendment that produced the version otherwise. */
  readonly amendment: FrameworkAmendment | null;
}

export type FrameworkState =
  | { readonly status: 'none' }
  | {
      readonly status: 'draft';
      readonly frameworkId: string;
      readonly definition: FrameworkDefinition;
      readonly draftedAt: string;
      readonly draftedBy: string;
    }
  | {
      readonly status: 'published';
      readonly frameworkId: string;
      /** Oldest first; the last is the current version. */
      readonly versions: readonly [FrameworkVersion, ...FrameworkVersion[]];
      readonly current: FrameworkVersion;
    };

/** A published version's definition, or undefined if the framework has no such version. */
export function frameworkVersion(state: FrameworkState, version: number): FrameworkDefinition | undefined {
  switch (state.status) {
    case 'none':
    case 'draft':
      return undefined;
    case 'published':
      return state.versions.find((v) => v.version === version)?.definition;
    default:
      return assertNever(state, 'framework state');
  }
}
