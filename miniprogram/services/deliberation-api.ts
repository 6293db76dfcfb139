import type { TimelineEntry } from '../../shared/schemas/platform';
import type {
  CommentPage,
  CommentView,
  NonVoter,
  OpenBallotBody,
  ProposeTopicBody,
  ReceiptView,
  SettingsBody,
  TopicPage,
  TopicView,
} from '../../shared/schemas/deliberation';
import { request } from './api';

/** What casting (or a proxy) answers: the household's ballot and its receipt code. */
export interface CastReceipt {
  householdId: string;
  choice: string;
  receipt: string;
  proxy: boolean;
}

export type TopicStatusName = TopicView['status'];

const post = <T = TopicView>(path: string, body?: unknown) => request<T>('POST', path, { body });

/** 议事协商: every endpoint the deliberation pages call, typed by shared/schemas/deliberation.ts. */
export const deliberationApi = {
  settings: (communityId: string) => request<SettingsBody>('GET', `/communities/${communityId}/deliberation-settings`),
  saveSettings: (communityId: string, body: SettingsBody) =>
    request<SettingsBody>('PUT', `/communities/${communityId}/deliberation-settings`, { body }),
  list: (filter: { nodeId?: string; status?: TopicStatusName; cursor?: string }) =>
    request<TopicPage>('GET', '/topics', { query: { ...filter, limit: 20 } }),
  get: (id: string) => request<TopicView>('GET', `/topics/${id}`),
  timeline: (id: string) => request<TimelineEntry[]>('GET', `/topics/${id}/timeline`),
  propose: (body: ProposeTopicBody) => post('/topics', body),
  cosign: (id: string) => post(`/topics/${id}/cosign`),
  adopt: (id: string) => post(`/topics/${id}/adopt`),
  stage: (id: string, stage: string, note?: string) => post(`/topics/${id}/stages`, { stage, note }),
  summary: (id: string, note: string) => post(`/topics/${id}/summary`, { note }),
  closeDiscussion: (id: string) => post(`/topics/${id}/close-discussion`),

  comments: (id: string, cursor?: string) =>
    request<CommentPage>('GET', `/topics/${id}/comments`, { query: { cursor, limit: 20 } }),
  comment: (id: string, text: string, parentId?: string) =>
    post<CommentView>(`/topics/${id}/comments`, { text, parentId }),
  like: (commentId: string, on: boolean) =>
    request<CommentView>(on ? 'POST' : 'DELETE', `/topic-comments/${commentId}/like`),
  pin: (commentId: string, pinned: boolean) => post<CommentView>(`/topic-comments/${commentId}/pin`, { pinned }),
  fold: (commentId: string, reason: string) => post<CommentView>(`/topic-comments/${commentId}/fold`, { reason }),

  openBallot: (id: string, body: OpenBallotBody) => post(`/topics/${id}/ballot`, body),
  vote: (id: string, choice: string, householdId?: string) =>
    post<CastReceipt>(`/topics/${id}/ballot/vote`, { choice, householdId }),
  proxy: (id: string, body: { householdId: string; choice: string; note: string }) =>
    post<CastReceipt>(`/topics/${id}/ballot/proxy`, body),
  nonVoters: (id: string) => request<NonVoter[]>('GET', `/topics/${id}/ballot/non-voters`),
  remind: (id: string) => post<{ households: number }>(`/topics/${id}/ballot/remind`),
  receipt: (id: string, code: string) =>
    request<ReceiptView>('GET', `/topics/${id}/ballot/receipts/${encodeURIComponent(code)}`),

  implement: (id: string, body: { owner: string; plan: string }) => post(`/topics/${id}/implementation`, body),
  progress: (id: string, body: { note: string; mediaIds?: string[] }, done: boolean) =>
    post(`/topics/${id}/${done ? 'done' : 'progress'}`, body),
  rate: (id: string, score: number) => post(`/topics/${id}/rating`, { score }),
};
