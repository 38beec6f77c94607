import { type KeyboardEvent, useState } from 'react';
import type { TFunction } from 'i18next';
import type { CriterionDefinition } from '@tieuchi/framework/domain/scoring';

/**
 * The input that fits a criterion's rule: yes/no, points, a ratio's value, or a banded value.
 * Native elements styled like antd's inputs: a hundred antd InputNumber and Radio groups made the
 * form slow to appear. Typing above the maximum is allowed: the shared scoring engine judges the
 * value and the form says why; the arrow keys stay between 0 and the maximum. The caller's `t` is
 * used rather than useTranslation: each hook call copies the i18next instance, a cost a hundred rows feel.
 */
export function CriterionInput({
  criterion,
  value,
  onChange,
  disabled,
  id,
  label,
  t,
}: {
  criterion: CriterionDefinition;
  value: number | boolean | null;
  onChange: (value: number | boolean | null) => void;
  disabled?: boolean;
  id: string;
  label: string;
  t: TFunction;
}) {
  if (criterion.rule.kind === 'yes_no') {
    return (
      <fieldset id={id} className="plain-radios" disabled={disabled}>
        <legend className="visually-hidden">{label}</legend>
        {([true, false] as const).map((option) => (
          <label key={String(option)} className="plain-check">
            <input type="radio" name={id} checked={value === option} onChange={() => onChange(option)} />
            {option ? t('form.yes') : t('form.no')}
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <DecimalInput
      id={id}
      label={label}
      disabled={disabled}
      step={criterion.rule.kind === 'manual' ? 0.25 : 1}
      max={criterion.rule.kind === 'manual' ? criterion.maxPoints : undefined}
      value={typeof value === 'number' ? value : null}
      onChange={onChange}
    />
  );
}

/** A number typed and shown with the Vietnamese decimal comma (43,80); a point is read as the decimal separator too. */
export function parseDecimal(text: string): number | null {
  const normalized = text.trim().replace(',', '.');
  if (normalized === '' || normalized === '.') return null;
  const parsed = Number(normalized);
  return Number.isFinite(parsed) ? parsed : null;
}

export function showDecimal(value: number | null): string {
  return value === null ? '' : String(value).replace('.', ',');
}

/** Digits and one decimal comma, nothing else: no sign, since no criterion takes a negative value. */
function sanitize(text: string): string {
  const kept = text.replace(/[^\d.,]/g, '').replace('.', ',');
  const separator = kept.indexOf(',');
  return separator < 0 ? kept : kept.slice(0, separator + 1) + kept.slice(separator + 1).replace(/[.,]/g, '');
}

function DecimalInput(props: { id: string; label: string; disabled?: boolean; step: number; max?: number; value: number | null; onChange: (value: number | null) => void }) {
  const { value, onChange, step, max } = props;
  // The text as typed ("43," or "43,80") stays while it still means the value the form holds.
  const [text, setText] = useState(() => showDecimal(value));
  const shown = parseDecimal(text) === value ? text : showDecimal(value);
  const change = (next: string) => {
    const clean = sanitize(next);
    setText(clean);
    const parsed = parseDecimal(clean);
    if (parsed !== value) onChange(parsed);
  };
  const stepBy = (event: KeyboardEvent<HTMLInputElement>, direction: 1 | -1) => {
    event.preventDefault();
    const stepped = Math.round(((value ?? 0) + direction * step) * 1000) / 1000;
    const next = Math.max(0, max === undefined ? stepped : Math.min(max, stepped));
    setText(showDecimal(next));
    if (next !== value) onChange(next);
  };
  return (
    <input
      id={props.id}
      className="plain-input plain-number"
      type="text"
      inputMode="decimal"
      role="spinbutton"
      autoComplete="off"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value ?? undefined}
      aria-valuetext={value === null ? undefined : shown}
      disabled={props.disabled}
      value={shown}
      onChange={(event) => change(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'ArrowUp') stepBy(event, 1);
        else if (event.key === 'ArrowDown') stepBy(event, -1);
      }}
      onBlur={() => setText((current) => current.replace(/,$/, ''))}
    />
  );
}
