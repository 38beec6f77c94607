/**
 * The jurisdiction rules, stated once for the OpenAPI document (Vietnamese first); README
 * "Jurisdiction" says the same. Enforced by assertCoversProvince and the handlers that call it.
 */
export const JURISDICTION_RULES = {
  units:
    'Đơn vị thuộc tỉnh mà chuỗi đơn vị cha của nó dẫn tới; quản trị viên tỉnh khác nhận 403 AUTH.OTHER_PROVINCE, tài khoản toàn quốc được mọi tỉnh. ' +
    "A unit belongs to the province its parent chain ends in; another province's admin gets 403 AUTH.OTHER_PROVINCE, national admins act everywhere.",
  register:
    'Đăng ký từ trên xuống: tỉnh không có đơn vị cha, huyện thuộc tỉnh, xã thuộc huyện. ' +
    'Registered top down: a province has no parent, a district sits under a province, a commune under a district. Refused, naming the field: ' +
    'unknown tier (400 UNIT.INVALID_TIER, tier), no parent (400 UNIT.PARENT_REQUIRED), a province with one (400 UNIT.INCONSISTENT_TIER), ' +
    'an unregistered parent (409 UNIT.PARENT_NOT_FOUND) or an ended one (409 UNIT.PARENT_NOT_ACTIVE), a parent of another tier (409 UNIT.INCONSISTENT_TIER), each on parentCode.',
  periods:
    'Kỳ đánh giá thuộc một tỉnh; quản trị viên tỉnh khác nhận 403 AUTH.OTHER_PROVINCE trước khi lệnh được xét hay câu trả lời cũ được phát lại. ' +
    "A period belongs to one province: another province's admin gets 403 AUTH.OTHER_PROVINCE before anything is decided or replayed; national admins act on every period.",
  openPeriod: 'Chỉ mở cho tỉnh đã đăng ký. Only for a registered province (409 PERIOD.UNKNOWN_PROVINCE, field provinceCode).',
  startAssessment:
    'Chỉ đơn vị thuộc tỉnh của kỳ đánh giá. Only units of the period\'s province are assessed in it (409 ASSESSMENT.UNIT_OUTSIDE_PROVINCE, field unitCode).',
  staff:
    'Vai trò thẩm định, phê duyệt, quản trị chỉ có hiệu lực trong tỉnh của kỳ đánh giá (tỉnh khác: 403 ASSESSMENT.FORBIDDEN). ' +
    "Reviewer, approver and admin roles count only in the period's province (another province's: 403 ASSESSMENT.FORBIDDEN); national accounts count everywhere.",
  periodReads:
    'Kỳ đã công bố là công khai. Trước khi công bố, cán bộ tỉnh chỉ xem kỳ của tỉnh mình và người dùng đơn vị chỉ xem kỳ của tỉnh có đơn vị mình; tài khoản toàn quốc xem mọi kỳ. ' +
    'Kỳ chưa công bố của tỉnh khác: 403 AUTH.OTHER_PROVINCE, và danh sách kỳ không liệt kê nó. ' +
    "A published period is public. Before publication a province's staff read only their own province's periods and a unit's users those of their unit's province; national accounts read every one. " +
    "Another province's unpublished period: 403 AUTH.OTHER_PROVINCE, and the period list leaves it out.",
  runReads:
    'Cán bộ tỉnh (thẩm định, phê duyệt, quản trị, kiểm toán) chỉ xem các lượt tính lại của kỳ thuộc tỉnh mình; tỉnh khác: 403 AUTH.OTHER_PROVINCE, danh sách lượt tính lại của kỳ tỉnh khác là rỗng. ' +
    "A province's staff (reviewers, approvers, admins, auditors) read only the recalculation runs of their own province's periods: another province's gets 403 AUTH.OTHER_PROVINCE, and its period's run list is empty; national accounts read every province's.",
  reads:
    'Cán bộ của tỉnh khác nhận 403 AUTH.OTHER_PROVINCE. ' + "Staff read the submitted assessments of their own province's periods (another province's: 403 AUTH.OTHER_PROVINCE); drafts stay the unit's own.",
} as const;

/** The section of the OpenAPI document's description that states who acts where. */
export function jurisdictionRulesDescription(): string {
  return [
    '## Jurisdiction',
    '',
    `- **Units**: ${JURISDICTION_RULES.units} ${JURISDICTION_RULES.register}`,
    `- **Periods**: ${JURISDICTION_RULES.periods} ${JURISDICTION_RULES.openPeriod} ${JURISDICTION_RULES.startAssessment} ${JURISDICTION_RULES.periodReads} ${JURISDICTION_RULES.runReads}`,
    `- **Staff**: ${JURISDICTION_RULES.staff} ${JURISDICTION_RULES.reads} The review queue, a period's assessment list and GET /audit/events show the staff of one province only that province's; the whole trail is for national accounts.`,
    '- **Idempotency-Key**: answers are remembered per caller and grants; the same subject with a token for another unit or province is authorized as a new request, never replayed.',
  ].join('\n');
}
