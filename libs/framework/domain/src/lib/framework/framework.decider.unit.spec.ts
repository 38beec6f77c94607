import type { MessageMetadata } from '@tieuchi/shared/kernel';
import { deciderSpec } from '@tieuchi/shared/kernel/testing';
import { loadBundledFramework } from '../definition/framework-definition.loader';
import { findPart } from '../definition/framework-definition.lookup';
import type { CriterionAnswer, FrameworkDefinition } from '../framework-definition';
import { scorePart } from '../scoring/scoring-engine';
import { applyAmendment, type FrameworkAmendment } from './framework-amendment';
import type { AmendFramework, DraftFramework, PublishFramework } from './framework.commands';
import { evolveFramework, frameworkDecider, initialFrameworkState } from './framework.decider';
import type { FrameworkAmended, FrameworkDrafted, FrameworkPublished } from './framework.events';
import { frameworkVersion } from './framework.state';

const spec = deciderSpec(frameworkDecider);
const definition: FrameworkDefinition = loadBundledFramework('2392-2017');
const id = definition.id;

const metadata = (actor: string, occurredAt: string): MessageMetadata => ({ actor, occurredAt, correlationId: 'corr-1', causationId: 'cause-1' });
const admin = metadata('admin-1', '2019-01-02T08:00:00.000Z');
const later = metadata('admin-2', '2019-03-05T08:00:00.000Z');

const draft = (def: FrameworkDefinition = definition): DraftFramework => ({ type: 'DraftFramework', data: { frameworkId: id, definition: def }, metadata: admin });
const publish: PublishFramework = { type: 'PublishFramework', data: { frameworkId: id, decisionReference: '2392/QĐ-BTTTT' }, metadata: admin };
const thresholds: FrameworkAmendment = {
  cause: 'Ngưỡng Mức IV cấp huyện điều chỉnh',
  decisionReference: '12/QĐ-UBND 05/03/2019',
  changes: [
    {
      kind: 'levels_changed',
      tier: 'district',
      partCode: 'readiness',
      levels: findPart(definition, 'district', 'readiness')!.levels.map((band) => (band.level === 'IV' ? { ...band, minScore: 36 } : band)),
    },
  ],
};
const amend = (amendment: FrameworkAmendment = thresholds, basedOnVersion?: number): AmendFramework => ({
  type: 'AmendFramework',
  data: { frameworkId: id, amendment, ...(basedOnVersion === undefined ? {} : { basedOnVersion }) },
  metadata: later,
});

const drafted: FrameworkDrafted = { type: 'FrameworkDrafted', data: { frameworkId: id, definition, draftedAt: admin.occurredAt, draftedBy: 'admin-1' } };
const published: FrameworkPublished = {
  type: 'FrameworkPublished',
  data: { frameworkId: id, version: 1, decisionReference: '2392/QĐ-BTTTT', publishedAt: admin.occurredAt, publishedBy: 'admin-1' },
};
const amended: FrameworkAmended = {
  type: 'FrameworkAmended',
  data: {
    frameworkId: id,
    fromVersion: 1,
    version: 2,
    amendment: thresholds,
    definition: applyAmendment(definition, thresholds),
    amendedAt: later.occurredAt,
    amendedBy: 'admin-2',
  },
};

describe('framework decider', () => {
  describe('DraftFramework', () => {
    it('drafts a valid definition', () => {
      spec.given([]).when(draft()).then([drafted]);
    });

    it('replaces a draft that is not yet published', () => {
      const retitled = { ...definition, title: 'Bộ tiêu chí (bản sửa)' };
      const outcome = spec.given([drafted]).when(draft(retitled));
      expect(outcome.events()).toEqual([{ ...drafted, data: { ...drafted.data, definition: retitled } }]);
      expect(outcome.state()).toMatchObject({ status: 'draft', definition: { title: 'Bộ tiêu chí (bản sửa)' } });
    });

    it('refuses an invalid definition, naming the field from the command root', () => {
      const broken = { ...definition, tiers: [{ ...definition.tiers[0]!, parts: [{ ...definition.tiers[0]!.parts[0]!, maxPoints: 60 }] }] };
      const error = spec.given([]).when(draft(broken)).thenRefused('FRAMEWORK.INVALID_DEFINITION', 'validation');
      expect(error.field).toBe('definition.tiers[0].parts[0].maxPoints');
    });

    it('refuses a draft that claims a later version', () => {
      const error = spec.given([]).when(draft({ ...definition, version: 2 })).thenRefused('FRAMEWORK.INVALID_DEFINITION');
      expect(error.field).toBe('definition.version');
    });

    it('refuses a definition whose id is not the framework id', () => {
      const error = spec.given([]).when(draft({ ...definition, id: 'other' })).thenRefused('FRAMEWORK.ID_MISMATCH', 'validation');
      expect(error.field).toBe('definition.id');
    });

    it('refuses to redraft a published framework', () => {
      spec.given([drafted, published]).when(draft()).thenRefused('FRAMEWORK.ALREADY_PUBLISHED', 'conflict');
    });
  });

  describe('PublishFramework', () => {
    it('publishes the draft as version 1', () => {
      const outcome = spec.given([drafted]).when(publish);
      outcome.then([published]);
      expect(outcome.state()).toMatchObject({ status: 'published', current: { version: 1, decisionReference: '2392/QĐ-BTTTT', by: 'admin-1' } });
    });

    it('refuses a framework never drafted', () => {
      spec.given([]).when(publish).thenRefused('FRAMEWORK.NOT_FOUND', 'not_found');
    });

    it('refuses to publish twice', () => {
      spec.given([drafted, published]).when(publish).thenRefused('FRAMEWORK.ALREADY_PUBLISHED', 'conflict');
    });
  });

  describe('AmendFramework', () => {
    it('makes version 2 with its cause and decision, keeping version 1 readable', () => {
      const outcome = spec.given([drafted, published]).when(amend());
      outcome.then([amended]);
      const state = outcome.state();
      expect(frameworkVersion(state, 1)).toBe(definition);
      expect(frameworkVersion(state, 2)!.version).toBe(2);
      expect(findPart(frameworkVersion(state, 2)!, 'district', 'readiness')!.levels.map((band) => band.minScore)).toEqual([45, 40, 37.5, 36]);
      expect(state).toMatchObject({ status: 'published', current: { version: 2, decisionReference: '12/QĐ-UBND 05/03/2019', by: 'admin-2' } });
    });

    it('makes version n + 1 from the current version', () => {
      const second: FrameworkAmendment = {
        cause: 'Tiêu chí hội nghị truyền hình không áp dụng',
        decisionReference: '20/QĐ-UBND 01/06/2019',
        changes: [{ kind: 'criterion_excluded', criterionCode: 'H.SS.HT.5' }],
      };
      const outcome = spec.given([drafted, published, amended]).when(amend(second, 2));
      const [event] = outcome.events();
      expect(event).toMatchObject({ type: 'FrameworkAmended', data: { fromVersion: 2, version: 3 } });
      expect(event!.data).toMatchObject({ definition: applyAmendment(amended.data.definition, second) });
      const state = outcome.state();
      expect([1, 2, 3].map((version) => frameworkVersion(state, version)?.version)).toEqual([1, 2, 3]);
      expect(frameworkVersion(state, 4)).toBeUndefined();
    });

    it('refuses an amendment written against an older version', () => {
      const error = spec.given([drafted, published, amended]).when(amend(thresholds, 1)).thenRefused('FRAMEWORK.VERSION_MISMATCH', 'conflict');
      expect(error.details).toEqual({ basedOnVersion: 1, currentVersion: 2 });
    });

    it('refuses to amend a draft', () => {
      spec.given([drafted]).when(amend()).thenRefused('FRAMEWORK.NOT_PUBLISHED', 'conflict');
    });

    it('refuses to amend a framework never drafted', () => {
      spec.given([]).when(amend()).thenRefused('FRAMEWORK.NOT_FOUND', 'not_found');
    });

    it('refuses a change naming an unknown criterion', () => {
      const unknown: FrameworkAmendment = { ...thresholds, changes: [{ kind: 'criterion_removed', criterionCode: 'H.SS.XX.1' }] };
      const error = spec.given([drafted, published]).when(amend(unknown)).thenRefused('FRAMEWORK.UNKNOWN_CRITERION', 'validation');
      expect(error.field).toBe('changes[0].criterionCode');
    });

    it('refuses an amendment without a decision reference', () => {
      spec
        .given([drafted, published])
        .when(amend({ ...thresholds, decisionReference: '' }))
        .thenRefused('FRAMEWORK.DECISION_REFERENCE_REQUIRED', 'validation');
    });

    it('refuses a command addressed to another framework', () => {
      const other: AmendFramework = { ...amend(), data: { ...amend().data, frameworkId: 'dti-example' } };
      spec.given([drafted, published]).when(other).thenRefused('FRAMEWORK.ID_MISMATCH');
    });
  });

  it('R-ROUND-STAGE: "frameworks recorded before the rounding stage existed keep rounding each criterion"; a later stage amendment is a new version', () => {
    // As stored by earlier releases: JSON, a rounding rule of decimals and mode only.
    const stored = JSON.parse(JSON.stringify([drafted, published])) as [FrameworkDrafted, FrameworkPublished];
    expect(stored[0].data.definition.rounding).toEqual({ decimals: 3, mode: 'half_up' });
    const state = stored.reduce(evolveFramework, initialFrameworkState());
    const v1 = frameworkVersion(state, 1)!;
    const stage: FrameworkAmendment = { ...thresholds, changes: [{ kind: 'rounding_changed', rounding: { decimals: 2, mode: 'half_up', stage: 'final' } }] };
    const [event] = frameworkDecider.decide(amend(stage), state);
    const after = evolveFramework(state, event!);
    expect(frameworkVersion(after, 1)!.rounding).toEqual({ decimals: 3, mode: 'half_up' });
    expect(frameworkVersion(after, 2)!.rounding).toEqual({ decimals: 2, mode: 'half_up', stage: 'final' });
    // Scored as before: each criterion rounded to 3 decimals (1 of 3 × 5 points → 1.667).
    const answers = new Map<string, CriterionAnswer>([['H.SS.HT.1', { kind: 'value', value: 100 / 3 }]]);
    expect(scorePart(v1, 'district', 'readiness', answers).criteria.find((c) => c.code === 'H.SS.HT.1')?.points).toBe(1.667);
  });

  it('refuses to fold a stream that breaks the lifecycle', () => {
    expect(() => evolveFramework(initialFrameworkState(), published)).toThrow('FrameworkPublished cannot follow a framework in status none');
    expect(() => evolveFramework(evolveFramework(initialFrameworkState(), drafted), amended)).toThrow('status draft');
  });
});
