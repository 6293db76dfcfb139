import Taro from '@tarojs/taro';
import type { Me, Session } from '../../shared/schemas/people';

/** What survives a restart of the mini-program: the tokens and the last known profile. */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: string;
  me: Me;
}

const STORAGE_KEY = 'linli.session';

let current: StoredSession | null | undefined;
const listeners = new Set<() => void>();

function isStoredSession(value: unknown): value is StoredSession {
  const v = value as StoredSession;
  return typeof v === 'object' && v !== null && typeof v.accessToken === 'string' && typeof v.refreshToken === 'string';
}

function readStorage(): StoredSession | null {
  let stored: unknown;
  try {
    stored = Taro.getStorageSync(STORAGE_KEY);
  } catch {
    return null;
  }
  // A refresh token past its expiry cannot bring the session back: start logged out.
  if (!isStoredSession(stored) || Date.parse(stored.refreshExpiresAt) <= Date.now()) return null;
  return stored;
}

function publish(next: StoredSession | null): void {
  current = next;
  try {
    if (next) Taro.setStorageSync(STORAGE_KEY, next);
    else Taro.removeStorageSync(STORAGE_KEY);
  } catch {
    // Storage full or unavailable: the session still lives for this run.
  }
  listeners.forEach((listener) => listener());
}

/** The logged-in session, or null. Read from storage on first use. */
export function currentSession(): StoredSession | null {
  if (current === undefined) current = readStorage();
  return current;
}

export function saveSession({ accessToken, refreshToken, refreshExpiresAt, me }: Session): void {
  publish({ accessToken, refreshToken, refreshExpiresAt, me });
}

/** Keeps the stored profile up to date after GET /me. */
export function saveMe(me: Me): void {
  const session = currentSession();
  if (session) publish({ ...session, me });
}

export function clearSession(): void {
  publish(null);
}

/** Calls `listener` whenever the session changes (login, refresh, profile update, logout); returns unsubscribe. */
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
