import type { EvidenceRecord } from '../assessment.evidence';

/** Blank references are dropped, and a file listed twice is kept once (by its bytes and name). */
export function normalizeEvidence(evidence: readonly EvidenceRecord[]): readonly EvidenceRecord[] {
  const seen = new Set<string>();
  const kept: EvidenceRecord[] = [];
  for (const given of evidence) {
    let key: string;
    let record: EvidenceRecord;
    switch (given.kind) {
      case 'file':
        record = given;
        key = `file\u0000${given.sha256}\u0000${given.name}`;
        break;
      case 'reference': {
        const reference = given.reference.trim();
        if (reference === '') continue;
        record = { kind: 'reference', reference };
        key = `reference\u0000${reference}`;
        break;
      }
      default: {
        const never: never = given;
        throw new Error(`unknown evidence ${JSON.stringify(never)}`);
      }
    }
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(record);
  }
  return kept;
}
