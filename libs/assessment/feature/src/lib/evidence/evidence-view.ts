import type { EvidenceFile, EvidenceRecord, EvidenceReference } from '@tieuchi/assessment/domain';

/** A file with the path that downloads it (same authorization as the assessment), or a reference in words. */
export type EvidenceView = (EvidenceFile & { readonly href: string }) | EvidenceReference;

export function evidenceHref(periodId: string, unitCode: string, sha256: string): string {
  return `/periods/${encodeURIComponent(periodId)}/assessments/${encodeURIComponent(unitCode)}/evidence/${sha256}`;
}

export function evidenceView(periodId: string, unitCode: string, record: EvidenceRecord): EvidenceView {
  switch (record.kind) {
    case 'file':
      return { ...record, href: evidenceHref(periodId, unitCode, record.sha256) };
    case 'reference':
      return record;
    default: {
      const never: never = record;
      return never;
    }
  }
}
