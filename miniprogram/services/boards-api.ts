import type { Static } from '@sinclair/typebox';
import type {
  AddInfoBody,
  BoardFigures,
  BoardPage,
  BoardSettingsBody,
  BoardSettingsView,
  DecideAppealBody,
  EntryListQuery,
  EntryPage,
  EntryView,
  MonthList,
  NominateBody,
  RankingView,
  RectifyBody,
} from '../../shared/schemas/boards';
import type { Colour } from '../../shared/boards';
import type { TimelineEntry } from '../../shared/schemas/platform';
import { request, type PixelRect } from './api';

export type EntryListView = EntryListQuery['view'];

const move = (id: string, verb: string, body: object = {}) =>
  request<EntryView>('POST', `/board-entries/${id}/${verb}`, { body });

/** 文明行为红黑榜: every endpoint the board pages call, typed by shared/schemas/boards.ts. */
export const boardsApi = {
  settings: (communityId: string) => request<BoardSettingsView>('GET', `/communities/${communityId}/board-settings`),
  saveSettings: (communityId: string, body: BoardSettingsBody) =>
    request<BoardSettingsView>('PUT', `/communities/${communityId}/board-settings`, { body }),

  /** Sending the same body (same idempotencyKey) again answers with the entry already nominated. */
  nominate: (body: NominateBody) => request<EntryView>('POST', '/board-entries', { body }),
  list: (view: EntryListView, filter: { communityId?: string; cursor?: string } = {}) =>
    request<EntryPage>('GET', '/board-entries', { query: { view, ...filter, limit: 20 } }),
  get: (id: string) => request<EntryView>('GET', `/board-entries/${id}`),
  timeline: (id: string) => request<TimelineEntry[]>('GET', `/board-entries/${id}/timeline`),

  confirm: (id: string) => move(id, 'confirm'),
  askMore: (id: string, reason: string) => move(id, 'ask-more', { reason }),
  addInfo: (id: string, body: Static<typeof AddInfoBody>) => move(id, 'add-info', body),
  dismiss: (id: string, reason: string) => move(id, 'dismiss', { reason }),
  respond: (id: string, text: string) => move(id, 'respond', { text }),
  rectify: (id: string, body: Static<typeof RectifyBody>) => move(id, 'rectify', body),
  publish: (id: string) => move(id, 'publish'),
  withdrawRectified: (id: string, note: string) => move(id, 'withdraw-rectified', { note }),
  appeal: (id: string, reason: string) => move(id, 'appeal', { reason }),
  decideAppeal: (id: string, body: Static<typeof DecideAppealBody>) => move(id, 'appeal/decide', body),
  consent: (id: string, consent: boolean) => move(id, 'consent', { consent }),
  /** Clears one evidence photo for publication: blacks out `rects`, or with none marks it as showing no one. */
  clearPhoto: (id: string, mediaId: string, rects: PixelRect[]) =>
    request<EntryView>('POST', `/board-entries/${id}/photos/${mediaId}/clear`, { body: { rects } }),

  board: (filter: { communityId?: string; month?: string; colour: Colour; estateId?: string; cursor?: string }) =>
    request<BoardPage>('GET', '/boards', { query: { ...filter, limit: 20 } }),
  months: (communityId?: string) => request<MonthList>('GET', '/boards/months', { query: { communityId } }),
  ranking: (communityId?: string, month?: string) =>
    request<RankingView>('GET', '/boards/ranking', { query: { communityId, month } }),
  selectionsCsv: (communityId: string, month: string) =>
    request<string>('GET', '/boards/selections/export', { query: { communityId, month }, text: true }),

  figures: (communityId: string, month: string) =>
    request<BoardFigures>('GET', '/board-figures', { query: { communityId, month } }),
  figuresCsv: (communityId: string, month: string) =>
    request<string>('GET', '/board-figures/export', { query: { communityId, month }, text: true }),
};
