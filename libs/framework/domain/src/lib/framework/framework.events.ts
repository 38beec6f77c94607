import type { DomainEvent } from '@tieuchi/shared/kernel';
import type { FrameworkDefinition } from '../framework-definition';
import type { FrameworkAmendment } from './framework-amendment';

// Event type strings are persisted forever: never rename them, add an upcaster instead.
// Who and when are part of the data (not only of the envelope) so that state can show them.

export type FrameworkDrafted = DomainEvent<
  'FrameworkDrafted',
  { readonly frameworkId: string; readonly definition: FrameworkDefinition; readonly draftedAt: string; readonly draftedBy: string }
>;

export type FrameworkPublished = DomainEvent<
  'FrameworkPublished',
  {
    readonly frameworkId: string;
    readonly version: number;
    readonly decisionReference: string | null;
    readonly publishedAt: string;
    readonly publishedBy: string;
  }
>;

/**
 * Carries the amendment (the intent) and the resulting definition (the fact), so that a version
 * stays readable exactly as it was even if the way amendments apply ever changes.
 */
export type FrameworkAmended = DomainEvent<
  'FrameworkAmended',
  {
    readonly frameworkId: string;
    readonly fromVersion: number;
    readonly version: number;
    readonly amendment: FrameworkAmendment;
    readonly definition: FrameworkDefinition;
    readonly amendedAt: string;
    readonly amendedBy: string;
  }
>;

export type FrameworkEvent = FrameworkDrafted | FrameworkPublished | FrameworkAmended;
