import { useTranslation } from 'react-i18next';

// Border and background of antd's tag palettes; the text stays dark, for a contrast above 4.5:1.
const palettes: Record<string, string> = { green: 'tag-green', cyan: 'tag-cyan', blue: 'tag-blue', gold: 'tag-gold', orange: 'tag-orange', default: 'tag-default' };
const levelColours: Record<string, string> = { I: 'green', II: 'cyan', III: 'blue', IV: 'gold' };

/** A tag drawn like antd's, without its colour presets: the public pages show these and stay light. */
export function PlainTag({ colour = 'default', children }: { colour?: string; children: React.ReactNode }) {
  return <span className={`plain-tag ${palettes[colour] ?? palettes['default']}`}>{children}</span>;
}

export function LevelTag({ level }: { level: string | null | undefined }) {
  const { t } = useTranslation();
  if (!level) return <PlainTag>{t('levels.unranked')}</PlainTag>;
  return <PlainTag colour={levelColours[level] ?? 'default'}>{t(`levels.${level}`, { defaultValue: level })}</PlainTag>;
}

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const colour = status === 'published' || status === 'approved' ? 'green' : status === 'returned' ? 'orange' : status === 'draft' ? 'default' : 'blue';
  return <PlainTag colour={colour}>{t(`status.${status}`, { defaultValue: status })}</PlainTag>;
}
