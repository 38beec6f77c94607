import { Injectable } from '@nestjs/common';
import type { FrameworkAmendment, FrameworkDefinition, FrameworkVersion } from '@tieuchi/framework/domain';
import { loadFramework } from '@tieuchi/framework/data-access';
import { CommandExecutor } from '@tieuchi/shared/application';
import { assertNever, DomainError } from '@tieuchi/shared/kernel';

export interface FrameworkVersionSummary {
  readonly version: number;
  readonly effectiveAt: string;
  readonly by: string;
  readonly decisionReference: string | null;
  readonly cause: string | null;
}

/** `version` is the stream's version (the ETag); framework versions are `current.version` and `versions`. */
export interface FrameworkView {
  readonly frameworkId: string;
  readonly status: 'draft' | 'published';
  readonly version: number;
  readonly current: FrameworkVersionView | null;
  readonly draft: { readonly definition: FrameworkDefinition; readonly draftedAt: string; readonly draftedBy: string } | null;
  readonly versions: readonly FrameworkVersionSummary[];
}

export interface FrameworkVersionView {
  readonly frameworkVersion: number;
  readonly effectiveAt: string;
  readonly by: string;
  readonly decisionReference: string | null;
  readonly amendment: FrameworkAmendment | null;
  readonly definition: FrameworkDefinition;
}

/** One published version; `version` is again the stream's version, so that the ETag means one thing everywhere. */
export interface FrameworkVersionResource extends FrameworkVersionView {
  readonly frameworkId: string;
  readonly version: number;
}

function notFound(frameworkId: string): DomainError {
  return new DomainError('FRAMEWORK.NOT_FOUND', 'not_found', `Framework ${frameworkId} has not been drafted`, 'frameworkId');
}

function versionView(version: FrameworkVersion): FrameworkVersionView {
  return {
    frameworkVersion: version.version,
    effectiveAt: version.effectiveAt,
    by: version.by,
    decisionReference: version.decisionReference,
    amendment: version.amendment,
    definition: version.definition,
  };
}

// Frameworks are small and few: their streams are folded on read, no projection needed.
@Injectable()
export class GetFrameworkQuery {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(frameworkId: string): Promise<FrameworkView> {
    const { state, version } = await loadFramework(this.executor, frameworkId);
    switch (state.status) {
      case 'none':
        throw notFound(frameworkId);
      case 'draft':
        return {
          frameworkId,
          status: 'draft',
          version,
          current: null,
          draft: { definition: state.definition, draftedAt: state.draftedAt, draftedBy: state.draftedBy },
          versions: [],
        };
      case 'published':
        return {
          frameworkId,
          status: 'published',
          version,
          current: versionView(state.current),
          draft: null,
          versions: state.versions.map((v) => ({
            version: v.version,
            effectiveAt: v.effectiveAt,
            by: v.by,
            decisionReference: v.decisionReference,
            cause: v.amendment?.cause ?? null,
          })),
        };
      default:
        return assertNever(state, 'framework state');
    }
  }
}

@Injectable()
export class GetFrameworkVersionQuery {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(frameworkId: string, frameworkVersion: number): Promise<FrameworkVersionResource> {
    const { state, version } = await loadFramework(this.executor, frameworkId);
    if (state.status === 'none') throw notFound(frameworkId);
    const found = state.status === 'published' ? state.versions.find((v) => v.version === frameworkVersion) : undefined;
    if (!found) {
      throw new DomainError('FRAMEWORK.VERSION_NOT_FOUND', 'not_found', `Framework ${frameworkId} has no published version ${frameworkVersion}`, 'version');
    }
    return { frameworkId, version, ...versionView(found) };
  }
}
