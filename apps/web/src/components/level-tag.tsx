import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const colours: Record<string, string> = { I: 'green', II: 'cyan', III: 'blue', IV: 'gold' };

export function LevelTag({ level }: { level: string | null | undefined }) {
  const { t } = useTranslation();
  if (!level) return <Tag>{t('levels.unranked')}</Tag>;
  return <Tag color={colours[level] ?? 'default'}>{t(`levels.${level}`, { defaultValue: level })}</Tag>;
}

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const colour = status === 'published' || status === 'approved' ? 'green' : status === 'returned' ? 'orange' : status === 'draft' ? 'default' : 'blue';
  return <Tag color={colour}>{t(`status.${status}`, { defaultValue: status })}</Tag>;
}
