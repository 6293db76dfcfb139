import type { ModerationCaseView, ModerationState } from '../../../shared/schemas/platform';

/** Why a case is in the queue. */
export const reasonLabel: Record<ModerationCaseView['reason'], string> = {
  'text-review': '文字待复核',
  'media-review': '图片待复核',
  'media-risky': '图片疑似违规',
  flags: '居民举报',
  'check-unavailable': '机审不可用',
};

/** How staff decided a closed case. */
export const decisionLabel: Record<string, string> = {
  approve: '已通过',
  hide: '已隐藏',
  edit: '编辑后发布',
};

/** What residents see of the item now. */
export const stateLabel: Record<ModerationState, string> = {
  visible: '已发布',
  review: '审核中',
  hidden: '已隐藏',
};

export const itemKindLabel: Record<string, string> = { notice: '公告', report: '随手拍' };

/** The item's text fields staff may edit. */
export const fieldLabel: Record<string, string> = { title: '标题', body: '正文', description: '描述' };

/** Lengths the item's own form allows, so an edit cannot make it something its author could not post. */
export const fieldLimits: Record<string, { min: number; max: number }> = {
  title: { min: 2, max: 40 },
  body: { min: 2, max: 2000 },
  description: { min: 2, max: 500 },
};

/** What happened to an item, as its timeline shows it. */
export const actionLabel: Record<string, string> = {
  posted: '发布',
  edited: '编辑',
  withdrawn: '撤回',
  'hidden-by-flags': '因多人举报隐藏',
  'moderation:approve': '审核通过',
  'moderation:hide': '审核隐藏',
  'moderation:edit': '编辑文字后发布',
  'moderation:redact-photo': '遮挡照片',
};

/** A label from one of these tables, or the value itself when this build does not know it. */
export function label(table: Record<string, string>, value: string): string {
  return table[value] ?? value;
}
