import { type CriterionAnswer, type CriterionDefinition, type FrameworkDefinition, scoreCriterion, scorePart } from '@tieuchi/framework/domain/scoring';
import type { AssessmentDetail } from '../../api/views';

/** What the form holds for one criterion while it is edited. */
export interface Draft {
  value: number | boolean | null;
  notApplicable: boolean;
  explanation: string;
  evidence: string;
  /** Uploaded files, named in a save by their upload id. */
  files: EvidenceFileDraft[];
}

export interface EvidenceFileDraft {
  uploadId: string;
  name: string;
  size: number;
  href: string;
}

export function draftsOf(detail: AssessmentDetail | undefined): Record<string, Draft> {
  const drafts: Record<string, Draft> = {};
  for (const criterion of detail?.criteria ?? []) {
    if (!criterion.self) continue;
    const answer = criterion.self.answer;
    drafts[criterion.code] = {
      value: answer.kind === 'value' ? answer.value : null,
      notApplicable: answer.kind === 'not_applicable',
      explanation: criterion.self.explanation ?? '',
      // Documents named in words are edited as lines of text; uploaded files keep their own list.
      evidence: criterion.self.evidence.flatMap((e) => (e.kind === 'reference' ? [e.reference] : [])).join('\n'),
      files: criterion.self.evidence.flatMap((e) => (e.kind === 'file' && e.uploadId ? [{ uploadId: e.uploadId, name: e.name, size: e.size, href: e.href }] : [])),
    };
  }
  return drafts;
}

export function answerOf(draft: Draft | undefined): CriterionAnswer | null {
  if (!draft) return null;
  if (draft.notApplicable) return { kind: 'not_applicable' };
  return draft.value === null ? null : { kind: 'value', value: draft.value };
}

export function referencesOf(draft: Draft): string[] {
  return draft.evidence.split('\n').map((line) => line.trim()).filter(Boolean);
}

/** The evidence a save names: the uploaded files by id, then the documents named in words. */
export function evidenceOf(draft: Draft): ({ id: string } | { reference: string })[] {
  return [...draft.files.map((file) => ({ id: file.uploadId })), ...referencesOf(draft).map((reference) => ({ reference }))];
}

/** The shared engine's verdict on one answer: its points, or the refusal's message (e.g. above the maximum). */
export function checkAnswer(criterion: CriterionDefinition, draft: Draft | undefined, framework: FrameworkDefinition): { points: number | null; error: string | null } {
  const answer = answerOf(draft);
  if (!answer) return { points: null, error: null };
  try {
    return { points: scoreCriterion(criterion, answer, framework.rounding), error: null };
  } catch (error) {
    return { points: null, error: (error as { code?: string }).code ?? 'ASSESSMENT.INVALID_ANSWER' };
  }
}

export interface LiveTotals {
  parts: { code: string; title: string; score: number; max: number; level: string | null }[];
  answered: number;
  total: number;
  unanswered: string[];
}

/** Part totals and levels as the server will compute them: the same scoring engine, on the answers typed so far. */
export function liveTotals(framework: FrameworkDefinition, tier: string, drafts: Record<string, Draft>): LiveTotals {
  const definition = framework.tiers.find((candidate) => candidate.tier === tier);
  const criteria = definition?.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria)) ?? [];
  const answers = new Map<string, CriterionAnswer>();
  for (const criterion of criteria) {
    const answer = answerOf(drafts[criterion.code]);
    if (answer && checkAnswer(criterion, drafts[criterion.code], framework).error === null) answers.set(criterion.code, answer);
  }
  const parts = (definition?.parts ?? []).map((part) => {
    const scored = scorePart(framework, tier, part.code, answers);
    return { code: part.code, title: part.title, score: scored.score, max: part.maxPoints, level: scored.level };
  });
  const unanswered = criteria.filter((criterion) => !answers.has(criterion.code)).map((criterion) => criterion.code);
  return { parts, answered: criteria.length - unanswered.length, total: criteria.length, unanswered };
}
