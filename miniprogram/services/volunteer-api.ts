import type { Static } from '@sinclair/typebox';
import type {
  ActivityPage,
  ActivityView,
  CreateActivityBody,
  CreateOrderBody,
  DoorCode,
  LedgerPage,
  OrderPage,
  OrderView,
  RegisterVolunteerBody,
  SuggestionView,
  VolunteerFigures,
  VolunteerPage,
  VolunteerSettings,
  VolunteerView,
  OrderListQuery,
} from '../../shared/schemas/volunteers';
import { request } from './api';

export type OrderListView = Static<typeof OrderListQuery>['view'];
export type OrderInput = CreateOrderBody;

const order = (id: string, verb: string, body: object = {}) =>
  request<OrderView>('POST', `/volunteer-orders/${id}/${verb}`, { body });
const activity = (id: string, verb: string, body: object = {}) =>
  request<ActivityView>('POST', `/volunteer-activities/${id}/${verb}`, { body });

/** Volunteer order-taking: registration, orders and their moves, the hours ledger, activities. */
export const volunteerApi = {
  me: () => request<VolunteerView | null>('GET', '/volunteers/me'),
  register: (body: RegisterVolunteerBody) => request<VolunteerView>('POST', '/volunteers', { body }),
  ledger: (volunteerId: string, cursor?: string) =>
    request<LedgerPage>('GET', `/volunteers/${volunteerId}/ledger`, { query: { cursor } }),
  ledgerCsv: (volunteerId: string) =>
    request<string>('GET', `/volunteers/${volunteerId}/ledger/export`, { text: true }),

  orders: (view: OrderListView, cursor?: string) =>
    request<OrderPage>('GET', '/volunteer-orders', { query: { view, limit: 20, cursor } }),
  order: (id: string) => request<OrderView>('GET', `/volunteer-orders/${id}`),
  createOrder: (body: OrderInput) => request<OrderView>('POST', '/volunteer-orders', { body }),
  suggestions: (id: string) => request<SuggestionView[]>('GET', `/volunteer-orders/${id}/suggestions`),
  doorCode: (id: string) => request<DoorCode>('GET', `/volunteer-orders/${id}/door-code`),
  dispatch: (id: string, volunteerId: string) => order(id, 'dispatch', { volunteerId }),
  publish: (id: string) => order(id, 'publish'),
  accept: (id: string) => order(id, 'accept'),
  decline: (id: string, reason?: string) => order(id, 'decline', reason ? { reason } : {}),
  take: (id: string) => order(id, 'take'),
  checkIn: (id: string, code: string) => order(id, 'check-in', { code }),
  checkOut: (id: string, code: string) => order(id, 'check-out', { code }),
  rate: (id: string, score: number, comment: string) => order(id, 'rate', comment ? { score, comment } : { score }),
  complain: (id: string, text: string) => order(id, 'complain', { text }),
  cancel: (id: string) => order(id, 'cancel'),
  manualHours: (id: string, minutes: number, reason: string) => order(id, 'manual-hours', { minutes, reason }),
  decideComplaint: (id: string, upheld: boolean, note: string) => order(id, 'complaint/decide', { upheld, note }),

  /** Staff: a community's volunteers by status, their review, the month's figures. */
  volunteers: (status: VolunteerView['status'], cursor?: string) =>
    request<VolunteerPage>('GET', '/volunteers', { query: { status, cursor } }),
  decide: (id: string, decision: 'verify' | 'suspend' | 'reinstate', reason: string) =>
    request<VolunteerView>('POST', `/volunteers/${id}/${decision}`, { body: { reason } }),
  figures: (communityId: string, month: string) =>
    request<VolunteerFigures>('GET', '/volunteer-figures', { query: { communityId, month } }),
  settings: (communityId: string) =>
    request<VolunteerSettings>('GET', `/communities/${communityId}/volunteer-settings`),
  saveSettings: (communityId: string, body: VolunteerSettings) =>
    request<VolunteerSettings>('PUT', `/communities/${communityId}/volunteer-settings`, { body }),
  figuresCsv: (communityId: string, month: string) =>
    request<string>('GET', '/volunteer-figures/export', { query: { communityId, month }, text: true }),

  activities: (cursor?: string) => request<ActivityPage>('GET', '/volunteer-activities', { query: { cursor } }),
  signUp: (id: string) => activity(id, 'sign-up'),
  cancelSignUp: (id: string) => activity(id, 'cancel'),
  checkInActivity: (id: string, code: string) => activity(id, 'check-in', { code }),
  publishActivity: (body: CreateActivityBody) => request<ActivityView>('POST', '/volunteer-activities', { body }),
  completeActivity: (id: string) => activity(id, 'complete'),
};
