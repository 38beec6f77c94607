/**
 * The rules the period imposes on assessment commands, stated once for the OpenAPI document
 * (Vietnamese first). README "Workflow rules" says the same.
 */
const SELF_ASSESSMENT_WINDOW =
  'Chỉ khi kỳ đánh giá đang mở tự chấm và trước hết ngày hạn tự chấm (giờ Việt Nam); nếu không: 409 ASSESSMENT.PERIOD_CLOSED hoặc ASSESSMENT.DEADLINE_PASSED. ' +
  'Only while the period is open for self-assessment and before the end of the self-assessment deadline day (Vietnamese time); otherwise 409 ' +
  'ASSESSMENT.PERIOD_CLOSED or ASSESSMENT.DEADLINE_PASSED.';

const REVISION_WINDOW =
  'Phiếu bị trả lại được sửa và nộp lại đến hết ngày hạn thẩm định, kể cả sau khi đóng tự chấm, nhưng không sau khi công bố. ' +
  'A form returned for revision may be revised and resubmitted until the end of the review deadline day, also after self-assessment closed, never after publication.';

const EXTENSION = 'Quản trị viên gia hạn bằng POST /periods/{periodId}/deadlines. An administrator extends deadlines with POST /periods/{periodId}/deadlines.';

export const PERIOD_RULES = {
  start: `${SELF_ASSESSMENT_WINDOW} ${EXTENSION}`,
  edit:
    `${SELF_ASSESSMENT_WINDOW} ${REVISION_WINDOW} ` +
    'Đánh dấu không áp dụng (kind not_applicable) luôn cần giải trình, ở cả hai endpoint (400 ASSESSMENT.EXPLANATION_REQUIRED, field data.explanation). ' +
    'Marking a criterion not applicable always needs an explanation, through either endpoint. ' +
    'Tiêu chí tỷ lệ được trả lời bằng phần trăm: trên 100 bị từ chối (400 ASSESSMENT.INVALID_ANSWER, field data.answer.value). ' +
    'Ratio criteria are answered as a percentage: above 100 is refused.',
  submit: `${SELF_ASSESSMENT_WINDOW} ${EXTENSION}`,
  resubmit: `${REVISION_WINDOW} Otherwise 409 ASSESSMENT.PERIOD_CLOSED or ASSESSMENT.DEADLINE_PASSED. ${EXTENSION}`,
  appeal:
    'Công bố là một thời điểm: ngay khi kỳ đánh giá được công bố, phiếu đã phê duyệt có thể phúc khảo, kể cả trước khi tiến trình ghi nhận công bố trên từng phiếu. ' +
    'Publication is one moment: as soon as the period is published its approved assessments may be appealed (the appeal records the publication first), within the appeal window.',
  fourEyes:
    'Bốn mắt giữa các vai trò: ai thuộc đơn vị được đánh giá, hoặc đã chấm, nộp hay thẩm định bất kỳ phần nào của phiếu, không được phê duyệt hay gửi lại (403 ASSESSMENT.FOUR_EYES). ' +
    'Four eyes across roles: whoever belongs to the unit, or scored, submitted or reviewed any part of it, may neither approve it nor send it back.',
  reopenReview:
    'Chỉ khi phiếu đã thẩm định xong và đang chờ phê duyệt (409 ASSESSMENT.WRONG_STATE sau khi đã phê duyệt hoặc gửi lại); lý do là bắt buộc (400 ASSESSMENT.REASON_REQUIRED, field data.reason). ' +
    'Người mở lại được tính là đã thẩm định phiếu, nên không được phê duyệt hay gửi lại phiếu đó. Phê duyệt cần phiên bản mới khi hoàn thành thẩm định lại. ' +
    'Only while the completed review awaits approval (409 ASSESSMENT.WRONG_STATE once approved or sent back); a reason is required. ' +
    'Whoever reopens has reviewed the assessment, so may neither approve it nor send it back; approval needs the revision that completing the review again makes.',
  resolveAppeal:
    'Người giải quyết phúc khảo không thuộc đơn vị, không phải người thẩm định ban đầu, và chưa chấm, nộp hay phê duyệt phiếu (403 ASSESSMENT.FOUR_EYES / ORIGINAL_REVIEWER). ' +
    'An appeal is resolved by a reviewer not of the unit, other than the original reviewers, who neither scored, submitted nor approved the assessment.',
} as const;
