import { vietnameseDate } from '@tieuchi/shared/documents';
import type { RankingView } from '../get-ranking/get-ranking.query';

const tierLabels: Readonly<Record<string, string>> = { province: 'cấp tỉnh', district: 'cấp huyện', commune: 'cấp xã' };
const partLabels: Readonly<Record<string, string>> = { readiness: 'điều kiện sẵn sàng', results: 'kết quả xây dựng' };

export interface AppendixRow {
  readonly rank: number;
  readonly unitName: string;
  readonly score: number;
  readonly level: string;
  /** Change of the score against the previous year; null when the unit has no score of that year. */
  readonly change: number | null;
}

/** A unit published without an approved assessment: listed under its own heading with the decision's reason. */
export interface NotAssessedRow {
  readonly unitName: string;
  readonly reason: string;
}

/** The layout of a provincial decision's appendix, as data: title lines, column heads, rows, the units not assessed and a closing note. */
export interface RankingAppendix {
  readonly title: readonly string[];
  readonly decisionLine: string;
  readonly columns: readonly string[];
  readonly rows: readonly AppendixRow[];
  readonly notAssessedHeading: string;
  readonly notAssessedColumns: readonly string[];
  /** Empty when the decision excluded no unit of the tier: the appendix then shows no such section. */
  readonly notAssessed: readonly NotAssessedRow[];
  readonly note: string;
  readonly fileName: string;
}

export function vietnameseChange(value: number | null): string {
  if (value === null) return '—';
  if (value === 0) return '0';
  const text = String(Math.abs(Math.round(value * 1000) / 1000)).replace('.', ',');
  return `${value > 0 ? '+' : '−'}${text}`;
}

export function rankingAppendix(view: RankingView, year: number | null): RankingAppendix {
  const tier = tierLabels[view.tier] ?? view.tier;
  const part = partLabels[view.part] ?? view.part;
  const decision = view.decision;
  const unranked = view.unranked.length;
  return {
    title: [
      'PHỤ LỤC',
      `KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN${year === null ? '' : ` NĂM ${year}`}`,
      `Đơn vị ${tier} — phần ${part}`,
    ],
    decisionLine: decision
      ? `(Kèm theo Quyết định số ${decision.number} ngày ${vietnameseDate(decision.date)})`
      : '(Bảng xếp hạng tạm thời, chưa công bố theo quyết định)',
    columns: ['STT', 'Đơn vị', `Điểm phần ${part}`, 'Xếp mức', 'Thay đổi so với năm trước'],
    rows: view.ranked.map((entry) => ({ rank: entry.rank, unitName: entry.unitName, score: entry.score, level: entry.level, change: entry.change })),
    notAssessedHeading: `Đơn vị chưa đánh giá (${view.notAssessed.length})`,
    notAssessedColumns: ['STT', 'Đơn vị', 'Lý do chưa đánh giá'],
    notAssessed: view.notAssessed.map((entry) => ({ unitName: entry.unitName, reason: entry.reason })),
    note:
      (view.ranked.length === 0
        ? `Không có đơn vị nào đạt Mức IV trở lên; ${unranked} đơn vị không xếp hạng.`
        : `${view.ranked.length} đơn vị được xếp hạng; ${unranked} đơn vị còn lại không xếp hạng (dưới Mức IV).`) +
      (view.notAssessed.length > 0 ? ` ${view.notAssessed.length} đơn vị chưa đánh giá.` : ''),
    fileName: `phu-luc-${view.periodId}-${view.tier}-${view.part}`,
  };
}
