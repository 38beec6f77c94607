import { DomainError } from '@tieuchi/shared/kernel';

export const ACCOUNT_ERROR_CODES = {
  notFound: 'ACCOUNT.NOT_FOUND',
  alreadyExists: 'ACCOUNT.ALREADY_EXISTS',
  invalidGrant: 'ACCOUNT.INVALID_GRANT',
  grantOutOfScope: 'ACCOUNT.GRANT_OUT_OF_SCOPE',
  scopeConflict: 'ACCOUNT.SCOPE_CONFLICT',
  notGranted: 'ACCOUNT.NOT_GRANTED',
  alreadyGranted: 'ACCOUNT.ALREADY_GRANTED',
  lastAdmin: 'ACCOUNT.LAST_ADMIN',
  notActive: 'ACCOUNT.NOT_ACTIVE',
  alreadyActive: 'ACCOUNT.ALREADY_ACTIVE',
  disabled: 'ACCOUNT.DISABLED',
  notDisabled: 'ACCOUNT.NOT_DISABLED',
  linkInvalid: 'ACCOUNT.ACTIVATION_LINK_INVALID',
  tokenNotFound: 'ACCOUNT.API_TOKEN_NOT_FOUND',
  reasonRequired: 'ACCOUNT.REASON_REQUIRED',
} as const;

export type AccountErrorCode = (typeof ACCOUNT_ERROR_CODES)[keyof typeof ACCOUNT_ERROR_CODES];

export const accountErrors = {
  notFound: (login: string) => new DomainError(ACCOUNT_ERROR_CODES.notFound, 'not_found', `Không có tài khoản ${login} (no such account).`),
  alreadyExists: (login: string) => new DomainError(ACCOUNT_ERROR_CODES.alreadyExists, 'conflict', `Tài khoản ${login} đã tồn tại (the account already exists).`, 'login'),
  invalidGrant: (detail: string) => new DomainError(ACCOUNT_ERROR_CODES.invalidGrant, 'validation', `Quyền không hợp lệ: ${detail}.`, 'grants'),
  grantOutOfScope: (grant: string) =>
    new DomainError(ACCOUNT_ERROR_CODES.grantOutOfScope, 'forbidden', `Không thể cấp quyền rộng hơn quyền của mình: ${grant} (nobody grants a role wider than their own).`),
  scopeConflict: (detail: string) =>
    new DomainError(ACCOUNT_ERROR_CODES.scopeConflict, 'conflict', `Một tài khoản chỉ thuộc một đơn vị và một tỉnh: ${detail} (an account keeps to one unit and one province).`),
  notGranted: (grant: string) => new DomainError(ACCOUNT_ERROR_CODES.notGranted, 'conflict', `Tài khoản không có quyền ${grant} (the account does not hold it).`),
  alreadyGranted: (grant: string) => new DomainError(ACCOUNT_ERROR_CODES.alreadyGranted, 'conflict', `Tài khoản đã có quyền ${grant}.`),
  lastAdmin: (province: string) =>
    new DomainError(ACCOUNT_ERROR_CODES.lastAdmin, 'conflict', `Không thể gỡ quản trị viên cuối cùng của ${province} (the last admin cannot be removed).`),
  notActive: (login: string) => new DomainError(ACCOUNT_ERROR_CODES.notActive, 'conflict', `Tài khoản ${login} chưa được kích hoạt hoặc đã bị khoá.`),
  alreadyActive: (login: string) => new DomainError(ACCOUNT_ERROR_CODES.alreadyActive, 'conflict', `Tài khoản ${login} đã được kích hoạt.`),
  notDisabled: (login: string) => new DomainError(ACCOUNT_ERROR_CODES.notDisabled, 'conflict', `Tài khoản ${login} không bị vô hiệu hoá.`),
  linkInvalid: () =>
    new DomainError(ACCOUNT_ERROR_CODES.linkInvalid, 'validation', 'Liên kết kích hoạt không hợp lệ, đã dùng hoặc đã hết hạn (the activation link is invalid, used or expired).', 'token'),
  tokenNotFound: (tokenId: string) => new DomainError(ACCOUNT_ERROR_CODES.tokenNotFound, 'not_found', `Không có mã truy cập ${tokenId}.`),
  reasonRequired: () => new DomainError(ACCOUNT_ERROR_CODES.reasonRequired, 'validation', 'Cần nêu lý do (a reason is required).', 'reason'),
};
