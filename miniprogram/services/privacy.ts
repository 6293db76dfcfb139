import Taro from '@tarojs/taro';
import { PRIVACY_POLICY_VERSION } from '../../shared/privacy';
import { inWechat } from '../utils/platform';
import { privacyApi } from './privacy-api';
import { currentSession, saveMe, subscribeSession } from './session';

/**
 * The privacy agreement (隐私保护指引) before any privacy API — location, photos and the camera, the clipboard.
 *
 * In WeChat (`__usePrivacyCheck__`), WeChat itself holds back a privacy API the user has not agreed to and asks
 * through `wx.onNeedPrivacyAuthorization` (registered once at start, `startPrivacyCheck`); the popup
 * (components/privacy-popup) answers its pending request: 同意 → `resolve({ buttonId, event: 'agree' })`, the API
 * goes on; 拒绝 → `resolve({ event: 'disagree' })`, the API fails with "privacy permission is not authorized",
 * which each call site turns into a plain message (`privacyRefusal`).
 *
 * On H5 nothing asks by itself: the call sites of location and photos go through `ensurePrivacy()`, which shows
 * the same popup once and remembers the agreement in storage (for this policy version).
 *
 * An agreement is recorded with the service (POST /me/privacy-acceptance with the version) when the user is
 * logged in, or after the next login when they agreed before.
 */

/** The id of the popup's 同意 button (open-type="agreePrivacyAuthorization"); WeChat checks it was tapped. */
export const AGREE_BUTTON_ID = 'privacy-agree';

const STORAGE_KEY = 'linli.privacy';

/** What the phone remembers: the policy version agreed to. */
interface StoredAgreement {
  version: string;
  agreedAt: string;
}

type WechatResolve = (option: { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string }) => void;

/** A request waiting for the user's answer in the popup. */
export interface PrivacyRequest {
  /** WeChat's pending request (weapp), or the H5 gate's own. */
  source: 'wechat' | 'h5';
  /** The agreement's name as WeChat knows it (《…》), or the in-app policy's. */
  contractName: string;
}

let pending: { request: PrivacyRequest; answer: (agreed: boolean) => void } | undefined;
const listeners = new Set<() => void>();

function publish(): void {
  listeners.forEach((listener) => listener());
}

/** The request the popup shows, if any. */
export function pendingPrivacyRequest(): PrivacyRequest | undefined {
  return pending?.request;
}

/** Calls `listener` when a request opens or is answered; returns unsubscribe. */
export function subscribePrivacy(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const DEFAULT_CONTRACT_NAME = '《邻里隐私保护指引》';

function readAgreement(): StoredAgreement | undefined {
  try {
    const stored = Taro.getStorageSync(STORAGE_KEY) as StoredAgreement | '';
    return stored && typeof stored === 'object' && typeof stored.version === 'string' ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** Whether this phone's user agreed to the policy in force. */
export function privacyAgreed(): boolean {
  return readAgreement()?.version === PRIVACY_POLICY_VERSION;
}

/** Records an agreement with the service when logged in and not yet recorded for this version. */
async function recordAcceptance(): Promise<void> {
  const session = currentSession();
  if (!session || !privacyAgreed()) return;
  if (session.me.privacyAccepted?.version === PRIVACY_POLICY_VERSION) return;
  try {
    const accepted = await privacyApi.accept(PRIVACY_POLICY_VERSION);
    // The stored profile says so too, so the next start does not send it again.
    const now = currentSession();
    if (now?.me.id === session.me.id) saveMe({ ...now.me, privacyAccepted: accepted });
  } catch {
    // Offline or refused: tried again at the next login or agreement; the agreement on the phone stands.
  }
}

function remember(): void {
  try {
    Taro.setStorageSync(STORAGE_KEY, { version: PRIVACY_POLICY_VERSION, agreedAt: new Date().toISOString() });
  } catch {
    // Storage unavailable: asked again next time.
  }
  void recordAcceptance();
}

function open(request: PrivacyRequest, answer: (agreed: boolean) => void): void {
  // A second request while one is open: the first is answered as refused (WeChat sends one at a time).
  pending?.answer(false);
  pending = { request, answer };
  publish();
}

/** The user's answer in the popup. */
export function answerPrivacy(agreed: boolean): void {
  const current = pending;
  if (!current) return;
  pending = undefined;
  if (agreed) remember();
  current.answer(agreed);
  publish();
}

let started = false;
let lastUserId: string | undefined;
let stopWatchingSession: (() => void) | undefined;

/**
 * Once at app start: in WeChat, listens for WeChat's requests; everywhere, records an earlier agreement after
 * a login.
 */
export function startPrivacyCheck(): void {
  if (started) return;
  started = true;
  lastUserId = currentSession()?.me.id;
  stopWatchingSession = subscribeSession(() => {
    const userId = currentSession()?.me.id;
    if (userId === lastUserId) return;
    lastUserId = userId;
    if (userId) void recordAcceptance();
  });
  void recordAcceptance();
  if (!inWechat() || typeof Taro.onNeedPrivacyAuthorization !== 'function') return;
  Taro.onNeedPrivacyAuthorization((resolve: WechatResolve) => {
    const request: PrivacyRequest = { source: 'wechat', contractName: DEFAULT_CONTRACT_NAME };
    open(request, (agreed) => resolve(agreed ? { buttonId: AGREE_BUTTON_ID, event: 'agree' } : { event: 'disagree' }));
    resolve({ event: 'exposureAuthorization' });
    // The agreement's name as set in the mini-program's console.
    Taro.getPrivacySetting?.({
      success: ({ privacyContractName }) => {
        if (!privacyContractName || pending?.request !== request) return;
        pending.request = { ...request, contractName: privacyContractName };
        publish();
      },
    });
  });
}

/**
 * Before the first use of location or photos: resolves true when the user may go on. In WeChat, WeChat asks by
 * itself (through the popup) when the API is called, so this is always true there; on H5 the popup shows once.
 */
export function ensurePrivacy(): Promise<boolean> {
  if (inWechat() || privacyAgreed()) return Promise.resolve(true);
  return new Promise((resolve) => open({ source: 'h5', contractName: '《邻里隐私政策》' }, resolve));
}

/** Opens the agreement itself: WeChat's page of it in WeChat. Resolves false where that is not possible. */
export function openPrivacyContract(): Promise<boolean> {
  return new Promise((resolve) => {
    if (!inWechat() || typeof Taro.openPrivacyContract !== 'function') return resolve(false);
    Taro.openPrivacyContract({ success: () => resolve(true), fail: () => resolve(false) });
  });
}

/** The message when the user refused the privacy agreement (ours or WeChat's). */
export const PRIVACY_REFUSED = '您未同意隐私保护指引，暂时无法使用此功能；同意后即可使用';

/**
 * A privacy API's failure in words, or undefined when the user just cancelled. `what` names the permission
 * (位置信息, 相机和相册, 剪贴板) for the case the user turned it off in WeChat's settings.
 */
export function privacyRefusal(err: unknown, what: string): string | undefined {
  const { errMsg = '', errno } = (err ?? {}) as { errMsg?: string; errno?: number };
  if (/cancel/i.test(errMsg)) return undefined;
  if (errno === 104 || /privacy permission is not authorized/i.test(errMsg)) return PRIVACY_REFUSED;
  if (errno === 112 || /not declared in the privacy agreement/i.test(errMsg))
    return `小程序尚未声明${what}的用途，暂时无法使用此功能`;
  if (/auth|permission|denied|deny/i.test(errMsg)) return `您没有允许使用${what}，可在右上角「···」→「设置」中开启`;
  return `无法使用${what}，请稍后重试`;
}

/** Test helper: forgets the answer and any open request. */
export function __resetPrivacy(): void {
  pending = undefined;
  started = false;
  lastUserId = undefined;
  stopWatchingSession?.();
  stopWatchingSession = undefined;
}
