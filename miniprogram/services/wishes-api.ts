import type { Static } from '@sinclair/typebox';
import type { TimelineEntry } from '../../shared/schemas/platform';
import type {
  ClaimBody,
  CreateOrganisationBody,
  CreateWishBody,
  OrganisationList,
  OrganisationView,
  ResubmitWishBody,
  WishFigures,
  WishListQuery,
  WishMessagePage,
  WishMessageView,
  WishPage,
  WishSettingsBody,
  WishSettingsView,
  WishView,
} from '../../shared/schemas/wishes';
import type { WishKind } from '../../shared/wishes';
import { request } from './api';

export type WishListView = Static<typeof WishListQuery>['view'];
export type WishStateName = WishView['state'];

const move = (id: string, verb: string, body: object = {}) =>
  request<WishView>('POST', `/wishes/${id}/${verb}`, { body });

/** 微心愿: every endpoint the wish pages call, typed by shared/schemas/wishes.ts. */
export const wishesApi = {
  settings: (communityId: string) => request<WishSettingsView>('GET', `/communities/${communityId}/wish-settings`),
  saveSettings: (communityId: string, body: WishSettingsBody) =>
    request<WishSettingsView>('PUT', `/communities/${communityId}/wish-settings`, { body }),

  /** Sending the same body (same idempotencyKey) again answers with the wish already posted. */
  create: (body: CreateWishBody) => request<WishView>('POST', '/wishes', { body }),
  list: (view: WishListView, filter: { communityId?: string; kind?: WishKind; cursor?: string } = {}) =>
    request<WishPage>('GET', '/wishes', { query: { view, ...filter, limit: 20 } }),
  get: (id: string) => request<WishView>('GET', `/wishes/${id}`),
  timeline: (id: string) => request<TimelineEntry[]>('GET', `/wishes/${id}/timeline`),

  publish: (id: string) => move(id, 'publish'),
  return: (id: string, reason: string) => move(id, 'return', { reason }),
  reject: (id: string, reason: string) => move(id, 'reject', { reason }),
  resubmit: (id: string, body: ResubmitWishBody) => move(id, 'resubmit', body),
  withdraw: (id: string, reason?: string) => move(id, 'withdraw', reason ? { reason } : {}),
  claim: (id: string, body: ClaimBody) => move(id, 'claim', body),
  release: (id: string, reason: string) => move(id, 'release', { reason }),
  fulfil: (id: string, body: { note: string; mediaIds: string[] }) => move(id, 'fulfil', body),
  confirm: (id: string, thanks?: string) => move(id, 'confirm', thanks ? { thanks } : {}),
  dispute: (id: string, reason: string) => move(id, 'dispute', { reason }),
  settle: (id: string, note: string) => move(id, 'settle', { note }),
  reopen: (id: string, note: string) => move(id, 'reopen', { note }),

  messages: (id: string, cursor?: string) =>
    request<WishMessagePage>('GET', `/wishes/${id}/messages`, { query: { cursor, limit: 20 } }),
  sendMessage: (id: string, text: string) =>
    request<WishMessageView>('POST', `/wishes/${id}/messages`, { body: { text } }),

  organisations: (communityId: string) =>
    request<Static<typeof OrganisationList>>('GET', `/communities/${communityId}/wish-organisations`),
  createOrganisation: (communityId: string, body: CreateOrganisationBody) =>
    request<OrganisationView>('POST', `/communities/${communityId}/wish-organisations`, { body }),
  joinOrganisation: (code: string) => request<OrganisationView>('POST', '/wish-organisations/join', { body: { code } }),

  figures: (communityId: string, month: string) =>
    request<WishFigures>('GET', '/wish-figures', { query: { communityId, month } }),
  figuresCsv: (communityId: string, month: string) =>
    request<string>('GET', '/wish-figures/export', { query: { communityId, month }, text: true }),
};
