import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema';
import { LevelTag } from '../../components/level-tag';
import { ResponsiveTable } from '../../components/responsive-table';
import { formatScore } from '../../format';
import { unitLabel } from './unit-label';

export type WhatIfResult = components['schemas']['WhatIfResultDto'];

/** The units an amendment moves: score and level before and after, one row per unit and part. */
export function WhatIfTable({ result }: { result: WhatIfResult }) {
  const { t } = useTranslation();
  if (!result.changes.length) return <p className="empty-note">{t('admin.noneAffected')}</p>;
  return (
    <ResponsiveTable<WhatIfResult['changes'][number]>
      label={t('admin.affected', { count: result.changes.length })}
      rowKey={(c) => `${c.tier}/${c.partCode}/${c.unitCode}`}
      dataSource={result.changes}
      columns={[
        { key: 'unit', title: t('public.unit'), render: (c) => unitLabel(c.unitName, c.unitCode) },
        { key: 'part', title: t('admin.part'), render: (c) => t(`parts.${c.partCode}`, { defaultValue: c.partCode }) },
        { key: 'before', title: t('admin.before'), render: (c) => <span>{formatScore(c.before.score)} <LevelTag level={c.before.level} /></span> },
        { key: 'after', title: t('admin.after'), render: (c) => <span>{formatScore(c.after.score)} <LevelTag level={c.after.level} /></span> },
      ]}
    />
  );
}
