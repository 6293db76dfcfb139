import Taro from '@tarojs/taro';

const community = '/packages/community';
const volunteer = '/packages/volunteer';
const deliberation = '/packages/deliberation';
const wishes = '/packages/wishes';
const boards = '/packages/boards';

/** Page paths, so a link and the page it opens cannot drift apart. */
export const routes = {
  home: '/pages/index/index',
  me: '/pages/me/index',
  join: (code?: string) => `${community}/join/index${code ? `?code=${encodeURIComponent(code)}` : ''}`,
  household: `${community}/household/index`,
  channels: `${community}/channels/index`,
  channel: (id: string) => `${community}/channel/index?id=${id}`,
  noticeEdit: (channelId: string) => `${community}/notice-edit/index?channel=${channelId}`,
  approvals: `${community}/approvals/index`,
  invites: `${community}/invites/index`,
  volunteer: `${volunteer}/index/index`,
  volunteerNew: `${volunteer}/new/index`,
  volunteerOrder: (id: string) => `${volunteer}/order/index?id=${id}`,
  volunteerRegister: `${volunteer}/register/index`,
  volunteerRecord: `${volunteer}/record/index`,
  volunteerActivities: `${volunteer}/activities/index`,
  volunteerManage: `${volunteer}/manage/index`,
  /** 议事: topics of one place (its channel) or of all my places. */
  topics: (nodeId?: string) => `${deliberation}/list/index${nodeId ? `?node=${nodeId}` : ''}`,
  topicNew: (nodeId?: string) => `${deliberation}/new/index${nodeId ? `?node=${nodeId}` : ''}`,
  topic: (id: string) => `${deliberation}/detail/index?id=${id}`,
  ballot: (id: string) => `${deliberation}/ballot/index?id=${id}`,
  results: (id: string) => `${deliberation}/results/index?id=${id}`,
  /** 议事规则 (staff): the 四议两公开 stages and co-sign thresholds of their communities. */
  topicSettings: `${deliberation}/settings/index`,
  /** 微心愿: the wall (待认领 / 已圆梦), posting (`edit` resubmits a returned wish), one wish and its history. */
  wishes: `${wishes}/wall/index`,
  wishNew: (editId?: string) => `${wishes}/new/index${editId ? `?id=${editId}` : ''}`,
  wish: (id: string) => `${wishes}/detail/index?id=${id}`,
  wishTimeline: (id: string) => `${wishes}/timeline/index?id=${id}`,
  /** 我的心愿 (posted or recorded by me) and 我的认领. */
  wishesMine: (view: 'mine' | 'claims' = 'mine') => `${wishes}/mine/index?view=${view}`,
  /** Staff: the review queue; organisations (anyone: join one by its code); settings; figures. */
  wishReview: `${wishes}/review/index`,
  wishOrganisations: `${wishes}/organisations/index`,
  wishSettings: `${wishes}/settings/index`,
  wishFigures: `${wishes}/figures/index`,
  /** 红黑榜: a month's board (this month without `month`), past months, the building ranking, one entry. */
  board: (month?: string) => `${boards}/index/index${month ? `?month=${month}` : ''}`,
  boardMonths: `${boards}/months/index`,
  boardRanking: (month?: string) => `${boards}/ranking/index${month ? `?month=${month}` : ''}`,
  boardNominate: (colour?: 'red' | 'black') => `${boards}/nominate/index${colour ? `?colour=${colour}` : ''}`,
  boardEntry: (id: string) => `${boards}/detail/index?id=${id}`,
  boardTimeline: (id: string) => `${boards}/timeline/index?id=${id}`,
  /** 我的提名, 我家相关 (black entries about my household), 提到我的 (red entries naming me). */
  boardMine: (view: 'mine' | 'household' | 'about_me' = 'mine') => `${boards}/mine/index?view=${view}`,
  /** Staff: the verification queue, acts and points, figures and the selections export. */
  boardQueue: `${boards}/queue/index`,
  boardSettings: `${boards}/settings/index`,
  boardFigures: `${boards}/figures/index`,
  /** Staff: the redaction editor (packages/admin) on one of an entry's evidence photos. */
  redactEntryPhoto: (entryId: string, mediaId: string) =>
    `/packages/admin/redact/index?entry=${entryId}&media=${mediaId}`,
} as const;

export function openPage(url: string): void {
  void Taro.navigateTo({ url });
}

export function openTab(url: typeof routes.home | typeof routes.me): void {
  void Taro.switchTab({ url });
}
