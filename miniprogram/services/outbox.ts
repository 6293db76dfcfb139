import Taro from '@tarojs/taro';
import type { ReportView, SubmitReportBody } from '../../shared/schemas/reports';
import { inWechat } from '../utils/platform';
import { ApiError, reportApi, toApiError } from './api';
import { ClientErrorCode, friendlyMessage } from './error-messages';
import { currentSession } from './session';
import { readStored, writeStored } from './storage';
import { newIdempotencyKey, uploadPhoto } from './upload';

/**
 * 随手拍's outbox: a report composed without signal is kept on the phone (Taro storage) and sent when the
 * network returns, when the app comes back to the foreground, or when the user taps 立即发送. Each report
 * and each of its photos carries the key it was composed with, and one send runs per report at a time, so
 * however often it is retried the service files it once (a repeated key answers with what it already has).
 */

export interface DraftPhoto {
  /** The photo's Idempotency-Key. */
  key: string;
  /** The photo on the phone. */
  path: string;
  /** Set once the service has the photo. */
  mediaId?: string;
  /** Moved to the mini-program's saved files (WeChat), to be removed once sent. */
  saved?: boolean;
  /** H5: the browser page whose blob: URL `path` is; the photo is gone once that page is. */
  page?: string;
}

export interface ReportDraft {
  /** The report's idempotencyKey, chosen when it was composed. */
  key: string;
  /** Whose draft: only they send it (another account may log in on the same phone). */
  userId: string;
  body: Omit<SubmitReportBody, 'mediaIds' | 'idempotencyKey'>;
  photos: DraftPhoto[];
  /** For the 待发送 list. */
  categoryName: string;
  placeName: string;
  savedAt: string;
  /** The service refused it (content check, a ban…): why; it waits to be changed or deleted. */
  refused?: string;
}

export type SendProgress = { stage: 'photo'; index: number; total: number; percent: number } | { stage: 'report' };

export interface OutboxState {
  drafts: readonly ReportDraft[];
  /** Keys of the drafts being sent now. */
  sending: readonly string[];
  /** How many drafts have been sent since the app started: a list of reports refreshes when it grows. */
  sent: number;
}

const STORAGE_KEY = 'linli.report-outbox';

/** This run of the app: in a browser, a new one with every page load. */
const thisPage = newIdempotencyKey();

/** The photo can still be sent from this phone: not a blob: URL of a browser page that has gone. */
export function stillOnPhone(photo: DraftPhoto): boolean {
  return Boolean(photo.mediaId) || !photo.page || photo.page === thisPage;
}

/** H5: tags a photo picked on this browser page (a blob: URL) with the page, as `stillOnPhone` needs. */
export function markPage(photo: DraftPhoto): DraftPhoto {
  return photo.path.startsWith('blob:') ? { page: thisPage, ...photo } : photo;
}

let state: OutboxState | undefined;
const listeners = new Set<() => void>();
const inFlight = new Map<string, Promise<ReportView>>();

export function isDraft(value: unknown): value is ReportDraft {
  const v = value as ReportDraft;
  return typeof v === 'object' && v !== null && typeof v.key === 'string' && Array.isArray(v.photos);
}

function readStorage(): ReportDraft[] {
  return readStored(STORAGE_KEY, Array.isArray)?.filter(isDraft) ?? [];
}

/** Everything in the outbox, every account's; pages read theirs through useOutbox. */
export function outboxState(): OutboxState {
  state ??= { drafts: readStorage(), sending: [], sent: 0 };
  return state;
}

function publish(change: Partial<OutboxState>): void {
  const previous = outboxState();
  state = { ...previous, ...change };
  if (change.drafts) writeStored(STORAGE_KEY, change.drafts);
  listeners.forEach((listener) => listener());
}

export function subscribeOutbox(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The logged-in user's drafts, oldest first. */
export function myDrafts(all: readonly ReportDraft[] = outboxState().drafts): ReportDraft[] {
  const me = currentSession()?.me.id;
  return me ? all.filter((draft) => draft.userId === me) : [];
}

function changeDraft(key: string, change: (draft: ReportDraft) => ReportDraft | undefined): void {
  const drafts = outboxState().drafts.flatMap((draft) => {
    if (draft.key !== key) return [draft];
    const changed = change(draft);
    return changed ? [changed] : [];
  });
  publish({ drafts });
}

/** Keeps a draft (replacing the one with the same key). */
export function saveDraft(draft: ReportDraft): void {
  const others = outboxState().drafts.filter((d) => d.key !== draft.key);
  publish({ drafts: [...others, draft] });
}

export function findDraft(key: string): ReportDraft | undefined {
  return myDrafts().find((draft) => draft.key === key);
}

export function deleteDraft(key: string): void {
  const draft = outboxState().drafts.find((d) => d.key === key);
  changeDraft(key, () => undefined);
  if (draft) forgetPhotos(draft.photos);
}

const isNetwork = (code: string) => code === ClientErrorCode.NETWORK;
/** Failures that go away by themselves: no signal, or a session to log in to again. */
const isPassing = (code: string) => isNetwork(code) || code === ClientErrorCode.LOGIN_REQUIRED;

async function send(key: string, onProgress?: (progress: SendProgress) => void): Promise<ReportView> {
  const draft = outboxState().drafts.find((d) => d.key === key);
  if (!draft) throw new Error(`no draft ${key}`);
  const photos = [...draft.photos];
  for (const [index, photo] of photos.entries()) {
    if (photo.mediaId) continue;
    if (!stillOnPhone(photo)) throw photoUnavailable();
    const media = await uploadPhoto(photo.path, photo.key, {
      onProgress: (percent) => onProgress?.({ stage: 'photo', index, total: photos.length, percent }),
    });
    photos[index] = { ...photo, mediaId: media.id };
    // Kept at once: a later failure sends only what is still missing.
    changeDraft(key, (d) => ({ ...d, photos: [...photos] }));
  }
  onProgress?.({ stage: 'report' });
  const report = await reportApi.submit({
    ...draft.body,
    mediaIds: photos.map((photo) => photo.mediaId!),
    idempotencyKey: draft.key,
  });
  deleteDraft(key);
  publish({ sent: outboxState().sent + 1 });
  return report;
}

/**
 * Sends one draft: its photos still missing, then the report. While it runs, a second call gets the same
 * promise. A refusal by the service is recorded on the draft; no signal leaves it as it was.
 */
export function sendDraft(key: string, onProgress?: (progress: SendProgress) => void): Promise<ReportView> {
  const running = inFlight.get(key);
  if (running) return running;
  publish({ sending: [...outboxState().sending, key] });
  const sending = send(key, onProgress)
    .catch((err: unknown) => {
      const error = toApiError(err);
      if (!isPassing(error.code)) changeDraft(key, (d) => ({ ...d, refused: error.message }));
      throw error;
    })
    .finally(() => {
      inFlight.delete(key);
      publish({ sending: outboxState().sending.filter((k) => k !== key) });
    });
  inFlight.set(key, sending);
  return sending;
}

export type SubmitOutcome = { sent: ReportView } | { queued: ReportDraft };

/**
 * The 提交 of a new report: keeps it in the outbox, then sends it. Without signal it stays there to be sent
 * later (`queued`); refused by the service it leaves the outbox and the error is thrown, for the form,
 * which still holds what was typed, to show.
 */
export async function submitReport(
  draft: ReportDraft,
  onProgress?: (progress: SendProgress) => void,
): Promise<SubmitOutcome> {
  const kept = { ...draft, refused: undefined, photos: await keepPhotos(draft.photos) };
  saveDraft(kept);
  try {
    return { sent: await sendDraft(kept.key, onProgress) };
  } catch (err) {
    const error = toApiError(err);
    if (isNetwork(error.code)) return { queued: kept };
    deleteDraft(kept.key);
    throw error;
  }
}

let flushing: Promise<number> | undefined;
/** A reason to send came while a pass was running (the network came back as it gave up): pass again. */
let again = false;

/** One pass over the user's waiting drafts, oldest first; stops at the first that finds no signal. */
async function flushOnce(): Promise<number> {
  let sent = 0;
  for (const draft of myDrafts()) {
    if (draft.refused) continue;
    try {
      await sendDraft(draft.key);
      sent++;
    } catch (err) {
      if (isPassing(toApiError(err).code)) break;
    }
  }
  return sent;
}

/** Sends the user's waiting drafts; resolves with how many were sent. Concurrent calls share the run. */
export function flushOutbox(): Promise<number> {
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = (async () => {
    let sent = 0;
    try {
      do {
        again = false;
        sent += await flushOnce();
      } while (again);
    } finally {
      flushing = undefined;
    }
    return sent;
  })();
  return flushing;
}

async function flushAndTell(): Promise<void> {
  if ((await flushOutbox()) > 0) void Taro.showToast({ title: '待发送的随手拍已提交', icon: 'none', duration: 2000 });
}

let started = false;

/** Sends waiting drafts now and whenever the network comes back or the app returns to the foreground. */
export function startOutbox(): void {
  if (!started) {
    started = true;
    Taro.onNetworkStatusChange(({ isConnected }) => {
      if (isConnected) void flushAndTell();
    });
    Taro.onAppShow(() => void flushAndTell());
    // Browsers tell the H5 build about the connection through `online`, which Taro's H5 API does not listen to.
    if (Taro.getEnv() === Taro.ENV_TYPE.WEB) window.addEventListener('online', () => void flushAndTell());
  }
  void flushAndTell();
}

/**
 * WeChat may clear temporary files once the mini-program closes: a photo that still has to be sent is
 * moved to the mini-program's saved files.
 */
async function keepPhotos(photos: DraftPhoto[]): Promise<DraftPhoto[]> {
  if (!inWechat()) return photos.map(markPage);
  const fs = Taro.getFileSystemManager();
  return Promise.all(
    photos.map(
      (photo) =>
        new Promise<DraftPhoto>((resolve) => {
          if (photo.mediaId || photo.saved) return resolve(photo);
          fs.saveFile({
            tempFilePath: photo.path,
            success: ({ savedFilePath }) => resolve({ ...photo, path: savedFilePath, saved: true }),
            fail: () => resolve(photo),
          });
        }),
    ),
  );
}

function photoUnavailable(): ApiError {
  return new ApiError(ClientErrorCode.PHOTO_UNAVAILABLE, friendlyMessage(ClientErrorCode.PHOTO_UNAVAILABLE), 0);
}

function forgetPhotos(photos: DraftPhoto[]): void {
  const saved = photos.filter((photo) => photo.saved);
  if (saved.length === 0) return;
  const fs = Taro.getFileSystemManager();
  for (const photo of saved) fs.removeSavedFile({ filePath: photo.path, fail: () => undefined });
}
