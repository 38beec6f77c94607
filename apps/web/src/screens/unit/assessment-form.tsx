import { useQueryClient } from '@tanstack/react-query';
import type { CriterionDefinition, FrameworkDefinition } from '@tieuchi/framework/domain/scoring';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Select, Typography } from 'antd';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError, postFile, unwrap } from '../../api/client';
import type { AssessmentDetail, CommandResponse, CriterionDetail, EvidenceUpload } from '../../api/views';
import { useSession } from '../../auth/session';
import { CriterionInput } from '../../components/criterion-input';
import { EvidenceLink } from '../../components/evidence-link';
import { LevelTag, StatusTag } from '../../components/level-tag';
import { problemText, QueryState, refusalText } from '../../components/query-state';
import { formatDateTime, formatScore } from '../../format';
import { checkAnswer, type Draft, draftsOf, evidenceOf, liveTotals, type LiveTotals } from './form-model';
import { useAssessment } from './use-assessment';

const AUTOSAVE_MS = 700;
const EDITABLE = ['draft', 'returned'];
const emptyDraft: Draft = { value: null, notApplicable: false, explanation: '', evidence: '', files: [] };

interface SaveState {
  kind: 'idle' | 'saving' | 'saved' | 'failed';
  at?: string;
  message?: string;
}

type DraftChange = Partial<Draft> | ((current: Draft) => Partial<Draft>);

interface Conflict {
  by: string | null;
  at: string | null;
  latest: AssessmentDetail;
}

/** Unit editor / lead: the self-assessment as the criteria tree, saved as you type. */
export function AssessmentForm() {
  const { t } = useTranslation();
  const { periodId = '' } = useParams();
  const session = useSession();
  const unitCode = session.me?.unitCode ?? '';
  const { period, assessment, framework } = useAssessment(periodId, unitCode);
  const queryClient = useQueryClient();
  const { message } = App.useApp();

  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [dirty, setDirty] = useState<Set<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const version = useRef<number | null>(null);
  const [loadedFor, setLoadedFor] = useState<string | null>(null);
  // One save at a time: a second one sent before the first answered would carry a stale If-Match.
  const inFlight = useRef(false);
  const latestDrafts = useRef(drafts);
  latestDrafts.current = drafts;

  const detail = assessment.data ?? null;
  // The drafts are taken from the first answer during that render, not in an effect after it: an
  // effect would paint a hundred empty rows and render them all again.
  const detailKey = detail ? `${detail.periodId}/${detail.unitCode}` : null;
  if (detail && detailKey !== loadedFor) {
    setLoadedFor(detailKey);
    setDrafts(draftsOf(detail));
    version.current = detail.version;
  }

  const editable = !!detail && EDITABLE.includes(detail.status);
  const def = framework.data;
  const tier = detail?.tier ?? '';
  // A keystroke repaints its own row first; the totals (the whole scoring again) follow at lower priority.
  const settledDrafts = useDeferredValue(drafts);
  const totals = useMemo(() => (def && tier ? liveTotals(def, tier, settledDrafts) : null), [def, tier, settledDrafts]);

  const change = useCallback((code: string, patch: DraftChange) => {
    setDrafts((current) => {
      const before = current[code] ?? emptyDraft;
      return { ...current, [code]: { ...before, ...(typeof patch === 'function' ? patch(before) : patch) } };
    });
    setDirty((current) => new Set(current).add(code));
    setServerErrors((current) => {
      if (!(code in current)) return current;
      const next = { ...current };
      delete next[code];
      return next;
    });
  }, []);

  const save = useCallback(
    async (ifMatch: number | null) => {
      if (!def || dirty.size === 0 || inFlight.current) return;
      const criteria = new Map(def.tiers.flatMap((x) => x.parts.flatMap((p) => p.groups.flatMap((g) => g.criteria))).map((c) => [c.code, c]));
      const items = [...dirty].flatMap((code) => {
        const draft = drafts[code];
        const criterion = criteria.get(code);
        if (!draft || !criterion) return [];
        // The shared engine refuses what the server would: such answers wait here, shown at their criterion.
        if (checkAnswer(criterion, draft, def).error) return [];
        if (!draft.notApplicable && draft.value === null) return [];
        return [
          {
            criterionCode: code,
            answer: draft.notApplicable ? { kind: 'not_applicable' as const } : { kind: 'value' as const, value: draft.value as number | boolean },
            evidence: evidenceOf(draft),
            ...(draft.explanation.trim() ? { explanation: draft.explanation } : {}),
          },
        ];
      });
      if (items.length === 0) return;
      setSaveState({ kind: 'saving' });
      const sent = new Map(items.map((item) => [item.criterionCode, drafts[item.criterionCode]]));
      inFlight.current = true;
      try {
        const result = await unwrap<CommandResponse>(
          api.POST('/periods/{periodId}/assessments/{unitCode}/answers', {
            params: { path: { periodId, unitCode } },
            headers: ifMatch !== null ? { 'If-Match': `"${ifMatch}"` } : {},
            body: { items },
          }),
        );
        version.current = result.version;
        // A criterion edited again while this save was under way stays dirty for the next one.
        setDirty((current) => new Set([...current].filter((code) => !sent.has(code) || sent.get(code) !== latestDrafts.current[code])));
        setSaveState({ kind: 'saved', at: new Date().toISOString() });
        queryClient.setQueryData<AssessmentDetail | null>(['assessment', periodId, unitCode], (old) => (old ? { ...old, version: result.version } : old));
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          // "Theirs" is the version that refused this save: read after its position, which the 412 names.
          const after = error.problem.position;
          const latest = await unwrap<AssessmentDetail>(api.GET('/periods/{periodId}/assessments/{unitCode}', { params: { path: { periodId, unitCode }, query: after ? { after } : {} } }));
          const last = latest.criteria.flatMap((c) => (c.self?.at ? [c.self] : [])).sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '')).pop();
          setConflict({ by: last?.by ?? null, at: last?.at ?? null, latest });
          setSaveState({ kind: 'failed', message: t('errors.REQUEST.STALE_VERSION') });
          return;
        }
        if (error instanceof ApiError && error.problem.code === 'ASSESSMENT.BATCH_REFUSED') {
          const itemsRefused = (error.problem.errors ?? []) as { criterionCode?: string | null; code?: string; message?: string }[];
          setServerErrors(Object.fromEntries(itemsRefused.map((item) => [item.criterionCode ?? '', refusalText(item.code, item.message, t)])));
        }
        setSaveState({ kind: 'failed', message: problemText(error, t) });
      } finally {
        inFlight.current = false;
      }
    },
    [def, dirty, drafts, periodId, unitCode, queryClient, t],
  );

  // Autosave: a pause in typing saves every changed criterion in one request, with the version read as If-Match.
  useEffect(() => {
    if (!editable || dirty.size === 0 || conflict) return;
    const timer = setTimeout(() => void save(version.current), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [drafts, dirty, editable, conflict, save]);

  const start = async () => {
    try {
      const result = await unwrap<CommandResponse>(api.POST('/periods/{periodId}/assessments/{unitCode}', { params: { path: { periodId, unitCode } } }));
      // Read after the start's position: the detail comes from a read model that may not show it yet.
      const fresh = await unwrap<AssessmentDetail>(
        api.GET('/periods/{periodId}/assessments/{unitCode}', { params: { path: { periodId, unitCode }, query: result.position ? { after: result.position } : {} } }),
      );
      queryClient.setQueryData(['assessment', periodId, unitCode], fresh);
    } catch (error) {
      void message.error(problemText(error, t));
    }
  };

  const submit = async (resubmit: boolean) => {
    try {
      await save(version.current);
      const result = await unwrap<CommandResponse>(
        api.POST(resubmit ? '/periods/{periodId}/assessments/{unitCode}/resubmit' : '/periods/{periodId}/assessments/{unitCode}/submit', {
          params: { path: { periodId, unitCode } },
        }),
      );
      void message.success(t('form.submitted'));
      const fresh = await unwrap<AssessmentDetail>(
        api.GET('/periods/{periodId}/assessments/{unitCode}', { params: { path: { periodId, unitCode }, query: result.position ? { after: result.position } : {} } }),
      );
      // The drafts and the version are those of the submitted form, set in the same render that shows it.
      queryClient.setQueryData(['assessment', periodId, unitCode], fresh);
      setDrafts(draftsOf(fresh));
      setDirty(new Set());
      version.current = fresh.version;
    } catch (error) {
      void message.error(problemText(error, t));
    }
  };

  const resolveConflict = (keepMine: boolean) => {
    if (!conflict) return;
    version.current = conflict.latest.version;
    if (!keepMine) {
      setDrafts(draftsOf(conflict.latest));
      setDirty(new Set());
      setSaveState({ kind: 'idle' });
    }
    queryClient.setQueryData(['assessment', periodId, unitCode], conflict.latest);
    setConflict(null);
    if (keepMine) void save(conflict.latest.version);
  };

  const loading = period.isLoading || assessment.isLoading || (!!assessment.data && framework.isLoading);
  return (
    <div className="form-stack">
      <FormHeading unitCode={unitCode} periodId={periodId} />
      <QueryState loading={loading} error={period.error ?? assessment.error ?? framework.error}>
        {!detail ? (
          <Button type="primary" onClick={() => void start()}>{t('unit.start')}</Button>
        ) : def && totals ? (
          <>
            <TotalsBar totals={totals} status={detail.status} saveState={saveState} dirty={dirty.size > 0} />
            {detail.status === 'returned' && detail.lastComment ? <Alert type="warning" showIcon title={t('form.returned', { comment: detail.lastComment })} /> : null}
            {!editable ? <Alert type="info" showIcon title={t('form.readOnly', { status: t(`status.${detail.status}`) })} /> : null}
            {detail.nextActions.includes('AppealAssessment') ? <AppealCard detail={detail} onAppealed={(fresh) => queryClient.setQueryData(['assessment', periodId, unitCode], fresh)} /> : null}
            <CriteriaTree framework={def} tier={detail.tier} drafts={drafts} detail={detail} editable={editable} serverErrors={serverErrors} onChange={change} />
            {editable ? (
              <div className="form-submit-bar">
                <span className={totals.unanswered.length ? 'text-warning' : 'text-success'}>
                  {totals.unanswered.length ? t('form.blocking', { count: totals.unanswered.length }) : t('form.ready')}
                </span>
                  {session.has('unit_lead') ? (
                    <Popconfirm title={t('form.submitConfirm')} okText={t('common.confirm')} cancelText={t('common.cancel')} onConfirm={() => void submit(detail.status === 'returned')}>
                      <Button type="primary" disabled={totals.unanswered.length > 0 || !detail.nextActions.some((a) => a === 'SubmitAssessment' || a === 'ResubmitAssessment')}>
                        {detail.status === 'returned' ? t('form.resubmit') : t('form.submit')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <span className="muted">{t('form.onlyLeadSubmits')}</span>
                  )}
              </div>
            ) : null}
          </>
        ) : null}
      </QueryState>
      {/* Mounted only while there is a conflict: a closed antd Modal still renders with every keystroke. */}
      {conflict ? (
        <Modal
          open
          title={t('form.conflictTitle')}
          closable={false}
          footer={[
            <Button key="theirs" onClick={() => resolveConflict(false)}>{t('form.takeTheirs')}</Button>,
            <Button key="mine" type="primary" onClick={() => resolveConflict(true)}>{t('form.keepMine')}</Button>,
          ]}
        >
          <p>{conflict.by ? t('form.conflictText', { by: conflict.by, at: formatDateTime(conflict.at) }) : t('form.conflictUnknown')}</p>
        </Modal>
      ) : null}
    </div>
  );
}

/** The way back and the form's title; memoized, so typing does not render them again. */
const FormHeading = memo(function FormHeading({ unitCode, periodId }: { unitCode: string; periodId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Link to="/unit">{t('app.back')}</Link>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t('form.heading', { unit: unitCode, period: periodId })}</Typography.Title>
    </>
  );
});

/** After publication, within the window: the unit lead contests the result, for some criteria or all. */
function AppealCard({ detail, onAppealed }: { detail: AssessmentDetail; onAppealed: (fresh: AssessmentDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const path = { periodId: detail.periodId, unitCode: detail.unitCode };
  const send = async (values: { reason: string; criteriaCodes?: string[] }) => {
    setBusy(true);
    try {
      const body = { reason: values.reason, ...(values.criteriaCodes?.length ? { criteriaCodes: values.criteriaCodes } : {}) };
      const result = await unwrap<CommandResponse>(api.POST('/periods/{periodId}/assessments/{unitCode}/appeal', { params: { path }, body }));
      void message.success(t('form.appealSent'));
      setOpen(false);
      onAppealed(await unwrap<AssessmentDetail>(api.GET('/periods/{periodId}/assessments/{unitCode}', { params: { path, query: result.position ? { after: result.position } : {} } })));
    } catch (error) {
      void message.error(problemText(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small">
      <Flex wrap gap={12} align="center" justify="space-between">
        <Typography.Text>{t('form.appealHelp')}</Typography.Text>
        <Button onClick={() => setOpen(true)}>{t('form.appeal')}</Button>
      </Flex>
      <Modal open={open} title={t('form.appealTitle')} footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
        <Form layout="vertical" onFinish={(values: { reason: string; criteriaCodes?: string[] }) => void send(values)}>
          <Form.Item name="reason" label={t('form.appealReason')} rules={[{ required: true, message: t('signIn.required', { field: t('form.appealReason') }) }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} />
          </Form.Item>
          <Form.Item name="criteriaCodes" label={t('form.appealCriteria')} extra={t('form.appealCriteriaHelp')}>
            <Select mode="multiple" allowClear options={detail.criteria.map((criterion) => ({ value: criterion.code, label: criterion.code }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('form.appealSend')}</Button>
        </Form>
      </Modal>
    </Card>
  );
}

/**
 * The sticky bar of progress and part totals; unchanged totals skip its render while typing. Plain
 * markup drawn like antd's card, grid, progress and statistic: their style registration alone cost
 * tens of milliseconds of the form's first render.
 */
const TotalsBar = memo(function TotalsBar({ totals, status, saveState, dirty }: { totals: LiveTotals; status: string; saveState: SaveState; dirty: boolean }) {
  const { t } = useTranslation();
  const percent = Math.round((totals.answered / Math.max(1, totals.total)) * 100);
  const progress = t('form.progress', { answered: totals.answered, total: totals.total });
  return (
    <div className="totals-bar">
      <div className="totals-progress">
        <div className="totals-state">
          <StatusTag status={status} />
          <SaveIndicator state={saveState} dirty={dirty} />
        </div>
        <div className="plain-progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label={progress}>
          <div className="plain-progress-rail">
            <div className={`plain-progress-track${percent === 100 ? ' complete' : ''}`} style={{ width: `${percent}%` }} />
          </div>
          {percent === 100 ? <CompleteIcon /> : <span className="plain-progress-text">{percent}%</span>}
        </div>
        <span>{progress}</span>
      </div>
      {totals.parts.map((part) => (
        <div className="totals-part" key={part.code}>
          <div className="totals-part-title">{t(`parts.${part.code}`, { defaultValue: part.title })}</div>
          <div className="totals-part-score">
            {formatScore(part.score)}
            <span className="totals-part-max">/ {formatScore(part.max, 0)}</span>
          </div>
          <LevelTag level={part.level} />
        </div>
      ))}
    </div>
  );
});

/** antd's filled check-circle, the mark of a complete progress bar. */
function CompleteIcon() {
  return (
    <svg className="plain-progress-done" viewBox="64 64 896 896" width="1em" height="1em" fill="currentColor" aria-hidden="true" focusable="false">
      <path d="M512 64C264.6 64 64 264.6 64 512s200.6 448 448 448 448-200.6 448-448S759.4 64 512 64zm193.5 301.7l-210.6 292a31.8 31.8 0 01-51.7 0L318.5 484.9c-3.8-5.3 0-12.7 6.5-12.7h46.9c10.2 0 19.9 4.9 25.9 13.3l71.2 98.8 157.2-218c6-8.3 15.6-13.3 25.9-13.3H699c6.5 0 10.3 7.4 6.5 12.7z" />
    </svg>
  );
}

function SaveIndicator({ state, dirty }: { state: SaveState; dirty: boolean }) {
  const { t } = useTranslation();
  const text =
    state.kind === 'saving' ? t('form.saving') : state.kind === 'failed' ? t('form.saveFailed', { message: state.message }) : dirty ? t('form.unsaved') : state.kind === 'saved' ? t('form.saved', { time: formatDateTime(state.at) }) : '';
  return (
    <span role="status" aria-live="polite" className="muted" data-testid="save-state" style={state.kind === 'failed' ? { color: '#a8071a' } : undefined}>
      {text}
    </span>
  );
}

/**
 * The criteria by group, each group a native disclosure (details/summary: a button with its expanded
 * state for keyboards and screen readers) drawn like antd's Collapse, which re-rendered every panel
 * and its motion wrapper on each keystroke. One useTranslation here serves every row. Memoized: the
 * totals' deferred render and the save indicator's changes leave it alone.
 */
const CriteriaTree = memo(function CriteriaTree(props: {
  framework: FrameworkDefinition;
  tier: string;
  drafts: Record<string, Draft>;
  detail: AssessmentDetail;
  editable: boolean;
  serverErrors: Record<string, string>;
  onChange: (code: string, patch: DraftChange) => void;
}) {
  const { t } = useTranslation();
  const definition = props.framework.tiers.find((x) => x.tier === props.tier);
  const byCode = useMemo(() => new Map(props.detail.criteria.map((c) => [c.code, c])), [props.detail.criteria]);
  return (
    <div className="criteria-groups">
      {(definition?.parts ?? []).flatMap((part) =>
        part.groups.map((group) => (
          <details key={group.code} className="criteria-group" open>
            <summary>
              <svg className="criteria-group-arrow" viewBox="64 64 896 896" width="1em" height="1em" fill="currentColor" aria-hidden="true" focusable="false">
                <path d="M765.7 486.8L314.9 134.7A7.97 7.97 0 00302 141v77.3c0 4.9 2.3 9.6 6.1 12.6l360 281.1-360 281.1c-3.9 3-6.1 7.7-6.1 12.6V883c0 6.7 7.7 10.4 12.9 6.3l450.8-352.1a31.96 31.96 0 000-50.4z" />
              </svg>
              {`${t(`parts.${part.code}`, { defaultValue: part.title })} · ${group.title}`}
            </summary>
            <div className="criteria-group-body">
              {group.criteria.map((criterion) => (
                <CriterionRow
                  periodId={props.detail.periodId}
                  unitCode={props.detail.unitCode}
                  key={criterion.code}
                  criterion={criterion}
                  framework={props.framework}
                  draft={props.drafts[criterion.code]}
                  record={byCode.get(criterion.code)}
                  flagged={props.detail.flaggedCriteria.includes(criterion.code)}
                  editable={props.editable}
                  serverError={props.serverErrors[criterion.code]}
                  onChange={props.onChange}
                  t={t}
                />
              ))}
            </div>
          </details>
        )),
      )}
    </div>
  );
});

const CriterionRow = memo(function CriterionRow({
  periodId,
  unitCode,
  criterion,
  framework,
  draft,
  record,
  flagged,
  editable,
  serverError,
  onChange,
  t,
}: {
  periodId: string;
  unitCode: string;
  criterion: CriterionDefinition;
  framework: FrameworkDefinition;
  draft: Draft | undefined;
  record: CriterionDetail | undefined;
  flagged: boolean;
  editable: boolean;
  serverError: string | undefined;
  onChange: (code: string, patch: DraftChange) => void;
  t: TFunction;
}) {
  const current = draft ?? emptyDraft;
  const { points, error } = checkAnswer(criterion, draft, framework);
  const id = `c-${criterion.code.replace(/[^A-Za-z0-9]/g, '-')}`;
  const refusal = serverError ?? (error ? t(`errors.${error}`, { defaultValue: error }) : null);
  // Plain elements with the app's own classes: a hundred rows of antd grid, flex, checkboxes and
  // autosize textareas (each measuring its own height in a layout pass) made the form slow to appear.
  return (
    <section className={`criterion${flagged ? ' criterion-flagged' : ''}`} aria-labelledby={`${id}-title`} data-criterion={criterion.code}>
      <div className="criterion-head">
        <div className="criterion-text">
          <div id={`${id}-title`} className="criterion-title">
            {criterion.code}. {criterion.title} {flagged ? <span className="plain-tag tag-orange">{t('form.flagged')}</span> : null}
          </div>
          <div className="criterion-meta">
            {t('form.max', { max: formatScore(criterion.maxPoints, 2) })}
            {criterion.rule.kind === 'ratio' ? ` · ${t('form.ratioHint', { target: criterion.rule.target })}` : ''}
            {criterion.rule.kind === 'banded' ? ` · ${t('form.bandedHint')}` : ''}
            {criterion.evidenceRequired ? ` · ${t('form.evidenceRequired')}` : ''}
            {criterion.explanationRequired ? ` · ${t('form.explanationRequired')}` : ''}
          </div>
        </div>
        <div className="criterion-answer">
          {current.notApplicable ? null : (
            <CriterionInput id={`${id}-value`} label={`${criterion.code} ${t('form.value')}`} criterion={criterion} value={current.value} disabled={!editable} onChange={(value) => onChange(criterion.code, { value })} t={t} />
          )}
          <span aria-live="off" className="muted criterion-points">{points === null ? '—' : t('form.points', { points: formatScore(points) })}</span>
        </div>
      </div>
      {criterion.mayBeNotApplicable ? (
        <div className="criterion-options">
          <label className="plain-check">
            <input type="checkbox" checked={current.notApplicable} disabled={!editable} onChange={(event) => onChange(criterion.code, { notApplicable: event.target.checked })} />
            {t('form.notApplicable')}
          </label>
        </div>
      ) : null}
      {criterion.evidenceRequired || criterion.explanationRequired || current.notApplicable || current.explanation || current.evidence || current.files.length ? (
        <div className="criterion-notes">
          <div>
            <label htmlFor={`${id}-evidence`} className="muted">{t('form.evidence')}</label>
            <textarea id={`${id}-evidence`} className="plain-textarea" rows={1} disabled={!editable} value={current.evidence} onChange={(event) => onChange(criterion.code, { evidence: event.target.value })} />
            <EvidenceFiles id={id} periodId={periodId} unitCode={unitCode} code={criterion.code} files={current.files} editable={editable} onChange={onChange} t={t} />
          </div>
          <div>
            <label htmlFor={`${id}-explanation`} className="muted">{t('form.explanation')}</label>
            <textarea id={`${id}-explanation`} className="plain-textarea" rows={1} disabled={!editable} value={current.explanation} onChange={(event) => onChange(criterion.code, { explanation: event.target.value })} />
          </div>
        </div>
      ) : null}
      {record?.review ? (
        <p className="muted criterion-review">
          {t('form.reviewed', { points: formatScore(record.review.points) })}
          {record.review.reason ? ` · ${t('form.reviewReason', { reason: record.review.reason })}` : ''}
        </p>
      ) : null}
      {refusal ? (
        <div role="alert" data-testid={`error-${criterion.code}`} style={{ marginTop: 8 }}>
          <Alert type="error" showIcon title={refusal} />
        </div>
      ) : null}
    </section>
  );
});

/** The files attached to one criterion: each downloads under its own name; the unit adds and removes them while editable. */
function EvidenceFiles(props: { id: string; periodId: string; unitCode: string; code: string; files: Draft['files']; editable: boolean; onChange: (code: string, patch: DraftChange) => void; t: TFunction }) {
  const { t } = props;
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const { periodId, unitCode, code, onChange } = props;
  const upload = async (chosen: FileList | null) => {
    if (!chosen?.length) return;
    setUploading(true);
    try {
      for (const file of Array.from(chosen)) {
        const stored = await postFile<EvidenceUpload>(`/periods/${encodeURIComponent(periodId)}/assessments/${encodeURIComponent(unitCode)}/evidence`, file, file.name);
        const added = { uploadId: stored.id, name: stored.name, size: stored.size, href: stored.href };
        onChange(code, (current) => ({ files: [...current.files, added] }));
        void message.success(t('form.uploaded', { name: stored.name }));
      }
    } catch (error) {
      void message.error(problemText(error, t));
    } finally {
      setUploading(false);
      if (input.current) input.current.value = '';
    }
  };
  if (!props.editable && props.files.length === 0) return null;
  return (
    <div className="evidence-files" data-testid={`files-${code}`}>
      {props.files.length ? (
        <ul aria-label={t('form.files')}>
          {props.files.map((file) => (
            <li key={file.uploadId}>
              <EvidenceLink name={file.name} href={file.href} size={file.size} />
              {props.editable ? (
                <Button size="small" type="link" danger aria-label={t('form.removeFile', { name: file.name })} onClick={() => onChange(code, (current) => ({ files: current.files.filter((f) => f.uploadId !== file.uploadId) }))}>
                  {t('form.remove')}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {props.editable ? (
        <>
          <input ref={input} id={`${props.id}-file`} type="file" multiple hidden data-testid={`file-input-${code}`} onChange={(event) => void upload(event.target.files)} />
          <button type="button" className="plain-button" disabled={uploading} aria-busy={uploading} onClick={() => input.current?.click()} aria-label={t('form.uploadFor', { code })}>
            {uploading ? t('form.uploading') : t('form.upload')}
          </button>
        </>
      ) : null}
    </div>
  );
}
