/** A stored file (minh chứng), named by the SHA-256 of its bytes so the audit trail covers the file itself. */
export interface EvidenceFile {
  readonly kind: 'file';
  /** The file name as uploaded, unchanged. */
  readonly name: string;
  readonly size: number;
  /** Decided from the bytes at upload, not from the name. */
  readonly mediaType: string;
  readonly sha256: string;
}

/**
 * Evidence named in words only: what CriterionScored carried before files were stored (schema 1,
 * upcast to this), and histories entered from paper records.
 */
export interface EvidenceReference {
  readonly kind: 'reference';
  readonly reference: string;
}

export type EvidenceRecord = EvidenceFile | EvidenceReference;

/** CriterionScored's data schema: 2 replaced `evidenceRefs: string[]` by `evidence: EvidenceRecord[]`. */
export const CRITERION_SCORED_SCHEMA_VERSION = 2;

/** The schema version each assessment event type is written with. */
export function assessmentEventSchemaVersion(type: string): number {
  return type === 'CriterionScored' ? CRITERION_SCORED_SCHEMA_VERSION : 1;
}

/** Lifts CriterionScored data of schema 1 (`evidenceRefs`) to schema 2 (`evidence`); shaped like the event store's Upcaster. */
export const criterionScoredV1Upcaster = {
  type: 'CriterionScored',
  fromSchemaVersion: 1,
  upcast(data: unknown): unknown {
    const { evidenceRefs, ...rest } = data as { evidenceRefs?: readonly string[]; evidence?: readonly EvidenceRecord[] };
    if (rest.evidence !== undefined) return rest;
    return { ...rest, evidence: (evidenceRefs ?? []).map((reference): EvidenceReference => ({ kind: 'reference', reference })) };
  },
} as const;

export function evidenceLabel(record: EvidenceRecord): string {
  switch (record.kind) {
    case 'file':
      return record.name;
    case 'reference':
      return record.reference;
    default: {
      const never: never = record;
      return never;
    }
  }
}
