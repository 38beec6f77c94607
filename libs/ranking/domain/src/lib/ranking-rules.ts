/**
 * Where users read every scoring and ranking rule; quoted in the OpenAPI description of each
 * endpoint that answers with a ranking.
 */
export const RANKING_RULES_REFERENCE =
  'Quy tắc chấm điểm và xếp hạng / scoring and ranking rules: docs/rules.vi.md (Tiếng Việt), docs/rules.en.md (English). ' +
  'Đơn vị đồng điểm cùng hạng, xếp theo mã đơn vị so như số / tied units share a rank and are listed by unit code, compared as numbers (R-TIE). ' +
  'Mức tăng giảm so với bản chính thức mới nhất của năm trước / a change compares with the previous year’s latest official edition (R-PREVIOUS-OFFICIAL); ' +
  'đơn vị sáp nhập so với điểm gộp của các đơn vị cũ / a merged unit compares with its predecessors’ scores combined by the merge’s rule (R-MERGE-RULE).';
