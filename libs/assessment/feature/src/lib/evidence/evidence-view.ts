import type { EvidenceFile, EvidenceRecord, EvidenceReference } from '@tieuchi/assessment/domain';

/** A file with the path that downloads it (same authorization as the assessment), or a reference in words. */
export type EvidenceView = (EvidenceFile & { readonly href: string; readonly uploadId?: string }) | EvidenceReference;

export function evidenceHref(periodId: string, unitCode: string, sha256: string): string {
  return `/periods/${encodeURIComponent(periodId)}/assessments/${encodeURIComponent(unitCode)}/evidence/${sha256}`;
}

/** `uploadIdOf` (the unit's own users only) gives a file the id a later save names it by. */
export function evidenceView(periodId: string, unitCode: string, record: EvidenceRecord, uploadIdOf?: (file: EvidenceFile) => string | undefined): EvidenceView {
  switch (record.kind) {
    case 'file': {
      const uploadId = uploadIdOf?.(record);
      return { ...record, href: evidenceHref(periodId, unitCode, record.sha256), ...(uploadId ? { uploadId } : {}) };
    }
    case 'reference':
      return record;
    default: {
      const never: never = record;
      return never;
    }
  }
}
