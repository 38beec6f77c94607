import type { Grant } from '@tieuchi/accounts/domain';
import { DAKNONG_PROVINCE_CODE } from './daknong-periods';

/** One person of the demo, as the accounts context provisions them (ProvisionAccount, as the system). */
export interface DaknongPerson {
  readonly login: string;
  readonly name: string;
  readonly grants: readonly Grant[];
}

// Units of the Đắk Nông 2019 record (config/units/daknong-2019.csv) that the published ranking names.
const peopleUnits: readonly { readonly code: string; readonly name: string }[] = [
  { code: '660', name: 'Gia Nghĩa' },
  { code: '662', name: 'Cư Jút' },
  { code: '664', name: 'Krông Nô' },
  { code: '666', name: "Đắk R'lấp" },
  { code: '24728', name: "Nâm N'Jang" },
  { code: '24655', name: 'Tâm Thắng' },
];

const province = (role: 'admin' | 'auditor' | 'reviewer' | 'approver'): Grant => ({ role, provinceCode: DAKNONG_PROVINCE_CODE });

/**
 * The people of the demo who sign in (`npm run token <login>` after `npm start -- --demo`). Staff of
 * the Sở hold their roles for the province (67) and act on each of its units; unit staff hold theirs
 * for one unit.
 */
export const DAKNONG_PEOPLE: readonly DaknongPerson[] = [
  { login: 'admin@daknong', name: 'Quản trị hệ thống', grants: [province('admin')] },
  { login: 'auditor@daknong', name: 'Kiểm tra viên', grants: [province('auditor')] },
  { login: 'reviewer.1@daknong', name: 'Thẩm định viên 1 (Sở KH&CN)', grants: [province('reviewer')] },
  { login: 'reviewer.2@daknong', name: 'Thẩm định viên 2 (Sở KH&CN)', grants: [province('reviewer')] },
  { login: 'approver.1@daknong', name: 'Lãnh đạo phê duyệt 1', grants: [province('approver')] },
  { login: 'approver.2@daknong', name: 'Lãnh đạo phê duyệt 2', grants: [province('approver')] },
  ...peopleUnits.flatMap(({ code, name }): DaknongPerson[] => [
    { login: `editor.${code}@daknong`, name: `Cán bộ nhập liệu ${name}`, grants: [{ role: 'unit_editor', unitCode: code, provinceCode: DAKNONG_PROVINCE_CODE }] },
    { login: `lead.${code}@daknong`, name: `Lãnh đạo ${name}`, grants: [{ role: 'unit_lead', unitCode: code, provinceCode: DAKNONG_PROVINCE_CODE }] },
  ]),
];

export function daknongPerson(login: string): DaknongPerson | undefined {
  return DAKNONG_PEOPLE.find((person) => person.login === login);
}
