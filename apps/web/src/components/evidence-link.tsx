import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../api/client';
import type { EvidenceView } from '../api/views';
import { formatFileSize } from './file-size';
import { problemText } from './query-state';

/** A link that downloads an evidence file under its own name, with the signed-in user's credentials. */
export function EvidenceLink({ name, href, size }: { name: string; href: string; size?: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <a
      href={href}
      download={name}
      className="evidence-link"
      aria-label={t('form.download', { name })}
      onClick={(event) => {
        event.preventDefault();
        downloadFile(href, name).catch((error: unknown) => void message.error(problemText(error, t)));
      }}
    >
      {name}
      {size !== undefined ? <span className="muted"> ({formatFileSize(size)})</span> : null}
    </a>
  );
}

/** What an answer names as evidence, for those who read it: files as download links, documents in words. */
export function EvidenceList({ evidence }: { evidence: readonly EvidenceView[] }) {
  const { t } = useTranslation();
  if (evidence.length === 0) return <div className="muted">{t('review.noEvidence')}</div>;
  return (
    <ul className="evidence-list">
      {evidence.map((item, index) => (
        <li key={index}>{item.kind === 'file' ? <EvidenceLink name={item.name} href={item.href} size={item.size} /> : <span className="muted">{item.reference}</span>}</li>
      ))}
    </ul>
  );
}
