import { InputNumber, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CriterionDefinition } from '@tieuchi/framework/domain/scoring';

/**
 * The input that fits a criterion's rule: yes/no, points, a ratio's value, or a banded value. No
 * upper bound on the input: the shared scoring engine judges the value and the form says why.
 */
export function CriterionInput({
  criterion,
  value,
  onChange,
  disabled,
  id,
  label,
}: {
  criterion: CriterionDefinition;
  value: number | boolean | null;
  onChange: (value: number | boolean | null) => void;
  disabled?: boolean;
  id: string;
  label: string;
}) {
  const { t } = useTranslation();
  if (criterion.rule.kind === 'yes_no') {
    return (
      <Radio.Group
        id={id}
        aria-label={label}
        disabled={disabled}
        value={value === null ? undefined : value}
        onChange={(event) => onChange(event.target.value as boolean)}
        options={[
          { value: true, label: t('form.yes') },
          { value: false, label: t('form.no') },
        ]}
      />
    );
  }
  return (
    <InputNumber<number>
      id={id}
      aria-label={label}
      disabled={disabled}
      min={0}
      step={criterion.rule.kind === 'manual' ? 0.25 : 1}
      decimalSeparator=","
      value={typeof value === 'number' ? value : null}
      onChange={(next) => onChange(next ?? null)}
      style={{ width: 140 }}
    />
  );
}
