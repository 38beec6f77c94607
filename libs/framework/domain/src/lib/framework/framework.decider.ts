import { assertNever, DomainError, isDomainError, type Decider } from '@tieuchi/shared/kernel';
import { FrameworkDefinitionErrorCode } from '../definition/framework-definition.errors';
import { validateFrameworkDefinition } from '../definition/framework-definition.validator';
import type { FrameworkDefinition } from '../framework-definition';
import { applyAmendment } from './framework-amendment';
import type { AmendFramework, DraftFramework, FrameworkCommand, PublishFramework } from './framework.commands';
import { FrameworkErrorCode, frameworkError } from './framework.errors';
import type { FrameworkAmended, FrameworkDrafted, FrameworkEvent, FrameworkPublished } from './framework.events';
import type { FrameworkState } from './framework.state';

export function initialFrameworkState(): FrameworkState {
  return { status: 'none' };
}

export function draftFramework(command: DraftFramework, state: FrameworkState): FrameworkDrafted[] {
  const { frameworkId } = command.data;
  const definition = validDraft(command.data.definition);
  if (definition.id !== frameworkId) {
    throw frameworkError(FrameworkErrorCode.idMismatch, 'validation', `Definition ${definition.id} is not framework ${frameworkId}`, 'definition.id');
  }
  switch (state.status) {
    case 'none':
      break;
    case 'draft':
      assertSameFramework(state.frameworkId, frameworkId);
      break;
    case 'published':
      throw frameworkError(
        FrameworkErrorCode.alreadyPublished,
        'conflict',
        `Framework ${frameworkId} is published and immutable; amend it instead`,
      );
    default:
      return assertNever(state, 'framework state');
  }
  const { occurredAt, actor } = command.metadata;
  return [{ type: 'FrameworkDrafted', data: { frameworkId, definition, draftedAt: occurredAt, draftedBy: actor } }];
}

export function publishFramework(command: PublishFramework, state: FrameworkState): FrameworkPublished[] {
  const { frameworkId } = command.data;
  switch (state.status) {
    case 'none':
      throw notFound(frameworkId);
    case 'draft':
      assertSameFramework(state.frameworkId, frameworkId);
      return [
        {
          type: 'FrameworkPublished',
          data: {
            frameworkId,
            version: state.definition.version,
            decisionReference: command.data.decisionReference ?? null,
            publishedAt: command.metadata.occurredAt,
            publishedBy: command.metadata.actor,
          },
        },
      ];
    case 'published':
      throw frameworkError(FrameworkErrorCode.alreadyPublished, 'conflict', `Framework ${frameworkId} is already published`);
    default:
      return assertNever(state, 'framework state');
  }
}

export function amendFramework(command: AmendFramework, state: FrameworkState): FrameworkAmended[] {
  const { frameworkId, basedOnVersion, amendment } = command.data;
  switch (state.status) {
    case 'none':
      throw notFound(frameworkId);
    case 'draft':
      throw frameworkError(
        FrameworkErrorCode.notPublished,
        'conflict',
        `Framework ${frameworkId} is still a draft: redraft it rather than amend it`,
      );
    case 'published': {
      assertSameFramework(state.frameworkId, frameworkId);
      const current = state.current;
      if (basedOnVersion !== undefined && basedOnVersion !== current.version) {
        throw frameworkError(
          FrameworkErrorCode.versionMismatch,
          'conflict',
          `The amendment was written against version ${basedOnVersion}; the current version is ${current.version}`,
          'basedOnVersion',
          { basedOnVersion, currentVersion: current.version },
        );
      }
      const definition = applyAmendment(current.definition, amendment);
      return [
        {
          type: 'FrameworkAmended',
          data: {
            frameworkId,
            fromVersion: current.version,
            version: definition.version,
            amendment,
            definition,
            amendedAt: command.metadata.occurredAt,
            amendedBy: command.metadata.actor,
          },
        },
      ];
    }
    default:
      return assertNever(state, 'framework state');
  }
}

export function decideFramework(command: FrameworkCommand, state: FrameworkState): FrameworkEvent[] {
  switch (command.type) {
    case 'DraftFramework':
      return draftFramework(command, state);
    case 'PublishFramework':
      return publishFramework(command, state);
    case 'AmendFramework':
      return amendFramework(command, state);
    default:
      return assertNever(command, 'framework command');
  }
}

export function evolveFramework(state: FrameworkState, event: FrameworkEvent): FrameworkState {
  switch (event.type) {
    case 'FrameworkDrafted': {
      const { frameworkId, definition, draftedAt, draftedBy } = event.data;
      return { status: 'draft', frameworkId, definition, draftedAt, draftedBy };
    }
    case 'FrameworkPublished': {
      if (state.status !== 'draft') throw impossible(event, state);
      const first = {
        version: event.data.version,
        definition: state.definition,
        effectiveAt: event.data.publishedAt,
        by: event.data.publishedBy,
        decisionReference: event.data.decisionReference,
        amendment: null,
      };
      return { status: 'published', frameworkId: state.frameworkId, versions: [first], current: first };
    }
    case 'FrameworkAmended': {
      if (state.status !== 'published') throw impossible(event, state);
      const next = {
        version: event.data.version,
        definition: event.data.definition,
        effectiveAt: event.data.amendedAt,
        by: event.data.amendedBy,
        decisionReference: event.data.amendment.decisionReference,
        amendment: event.data.amendment,
      };
      return { ...state, versions: [...state.versions, next], current: next };
    }
    default:
      return assertNever(event, 'framework event');
  }
}

export const frameworkDecider: Decider<FrameworkState, FrameworkCommand, FrameworkEvent> = {
  decide: decideFramework,
  evolve: evolveFramework,
  initialState: initialFrameworkState,
};

/** Validates a draft; errors name the field from the command's root (`definition.tiers[0]…`). */
function validDraft(definition: FrameworkDefinition): FrameworkDefinition {
  let valid: FrameworkDefinition;
  try {
    valid = validateFrameworkDefinition(definition);
  } catch (error) {
    if (isDomainError(error) && error.code === FrameworkDefinitionErrorCode.invalid) {
      throw frameworkErrorWithPrefix(error.message, error.field, error.details);
    }
    throw error;
  }
  if (valid.version !== 1) {
    throw frameworkErrorWithPrefix(`A draft is version 1, not ${valid.version}; later versions come from amendments`, 'version');
  }
  return valid;
}

function frameworkErrorWithPrefix(message: string, field: string | undefined, details?: Readonly<Record<string, unknown>>): DomainError {
  const prefixed = field === undefined || field === '' ? 'definition' : `definition.${field}`;
  return new DomainError(FrameworkDefinitionErrorCode.invalid, 'validation', message, prefixed, details);
}

function assertSameFramework(streamFrameworkId: string, commandFrameworkId: string): void {
  if (streamFrameworkId !== commandFrameworkId) {
    throw frameworkError(
      FrameworkErrorCode.idMismatch,
      'validation',
      `Command for framework ${commandFrameworkId} reached the stream of ${streamFrameworkId}`,
      'frameworkId',
    );
  }
}

function notFound(frameworkId: string): DomainError {
  return frameworkError(FrameworkErrorCode.notFound, 'not_found', `Framework ${frameworkId} has not been drafted`);
}

/** A stream that breaks the lifecycle is corrupt: fail loudly rather than fold it into nonsense. */
function impossible(event: FrameworkEvent, state: FrameworkState): Error {
  return new Error(`${event.type} cannot follow a framework in status ${state.status}`);
}

/** One stream per framework id; every version lives in it (persisted name: never change). */
export function frameworkStreamId(frameworkId: string): string {
  return `framework-${frameworkId}`;
}
