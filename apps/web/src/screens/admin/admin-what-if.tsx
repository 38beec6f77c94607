import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { LevelTag } from '../../components/level-tag';
import { formatScore } from '../../format';

export interface WhatIfResult {
  fromVersion: number;
  toVersion: number;
  assessments: number;
  changes: { tier: string; partCode: string; unitCode: string; before: { score: number; level: string | null; rank: number | null }; after: { score: number; level: string | null; rank: number | null } }[];
}

/** The units an amendment moves: score and level before and after, one row per unit and part. */
export function WhatIfTable({ result }: { result: WhatIfResult }) {
  const { t } = useTranslation();
  if (!result.changes.length) return <p className="empty-note">{t('admin.noneAffected')}</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('admin.affected', { count: result.changes.length })}>
      <Table
        rowKey={(c) => `${c.tier}/${c.partCode}/${c.unitCode}`}
        size="small"
        pagination={false}
        dataSource={result.changes}
        columns={[
          { title: t('public.unit'), dataIndex: 'unitCode' },
          { title: t('admin.part'), dataIndex: 'partCode', render: (x: string) => t(`parts.${x}`, { defaultValue: x }) },
          { title: t('admin.before'), key: 'b', render: (_: unknown, c) => <span>{formatScore(c.before.score)} <LevelTag level={c.before.level} /></span> },
          { title: t('admin.after'), key: 'a', render: (_: unknown, c) => <span>{formatScore(c.after.score)} <LevelTag level={c.after.level} /></span> },
        ]}
      />
    </div>
  );
}
