import type { Principal } from './principal';

export interface DemoUser extends Principal {
  readonly name: string;
}

/** Đắk Nông's official province code (mã ĐVHC cấp tỉnh). */
const DAKNONG = '67';

// Units of the Đắk Nông 2019 record (config/units/daknong-2019.csv) that the published ranking names.
const demoUnits: readonly { readonly code: string; readonly name: string }[] = [
  { code: '660', name: 'Gia Nghĩa' },
  { code: '662', name: 'Cư Jút' },
  { code: '664', name: 'Krông Nô' },
  { code: '666', name: "Đắk R'lấp" },
  { code: '24728', name: "Nâm N'Jang" },
  { code: '24655', name: 'Tâm Thắng' },
];

/**
 * The embedded mode's users; `npm run token <id>` prints a token for one. Staff of the Sở are not
 * bound to a unit: reviewers and approvers act on every unit of their province (Đắk Nông, 67).
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'admin@daknong', roles: ['admin'], unitCode: null, provinceCode: DAKNONG, national: false, name: 'Quản trị hệ thống' },
  { id: 'auditor@daknong', roles: ['auditor'], unitCode: null, provinceCode: DAKNONG, national: false, name: 'Kiểm tra viên' },
  { id: 'reviewer.1@daknong', roles: ['reviewer'], unitCode: null, provinceCode: DAKNONG, national: false, name: 'Thẩm định viên 1 (Sở KH&CN)' },
  { id: 'reviewer.2@daknong', roles: ['reviewer'], unitCode: null, provinceCode: DAKNONG, national: false, name: 'Thẩm định viên 2 (Sở KH&CN)' },
  { id: 'approver.1@daknong', roles: ['approver'], unitCode: null, provinceCode: DAKNONG, national: false, name: 'Lãnh đạo phê duyệt 1' },
  { id: 'approver.2@daknong', roles: ['approver'], unitCode: null, provinceCode: DAKNONG, national: false, name: 'Lãnh đạo phê duyệt 2' },
  ...demoUnits.flatMap(({ code, name }): DemoUser[] => [
    { id: `editor.${code}@daknong`, roles: ['unit_editor'], unitCode: code, provinceCode: DAKNONG, national: false, name: `Cán bộ nhập liệu ${name}` },
    { id: `lead.${code}@daknong`, roles: ['unit_lead'], unitCode: code, provinceCode: DAKNONG, national: false, name: `Lãnh đạo ${name}` },
  ]),
];

export function findDemoUser(id: string): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.id === id);
}
