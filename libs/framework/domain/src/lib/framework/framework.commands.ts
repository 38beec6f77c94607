import type { Command } from '@tieuchi/shared/kernel';
import type { FrameworkDefinition } from '../framework-definition';
import type { FrameworkAmendment } from './framework-amendment';

/** Creates the framework's draft, or replaces it while it is still a draft. */
export type DraftFramework = Command<'DraftFramework', { readonly frameworkId: string; readonly definition: FrameworkDefinition }>;

/** Freezes the draft as version 1. */
export type PublishFramework = Command<'PublishFramework', { readonly frameworkId: string; readonly decisionReference?: string }>;

/**
 * Makes version n + 1 of a published framework. `basedOnVersion`, when given, must be the
 * current version: an administrator who amended version 2 must not silently amend version 3.
 */
export type AmendFramework = Command<
  'AmendFramework',
  { readonly frameworkId: string; readonly basedOnVersion?: number; readonly amendment: FrameworkAmendment }
>;

export type FrameworkCommand = DraftFramework | PublishFramework | AmendFramework;
