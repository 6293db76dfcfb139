/**
 * A small stand-in for @tarojs/taro under jsdom. `request` is a jest mock each test programs with the
 * response the server would give; the rest records what a page asked the platform to do. Helpers whose
 * names start with `__` let a test play the user's gestures (pull down, scroll to the bottom, leave and
 * come back) and set the platform (WeChat or H5) and the page's query.
 */
import { useEffect, useRef } from 'react';
import { PRIVACY_POLICY_VERSION } from '../../../shared/privacy';

type RequestOption = { url: string; method?: string; data?: unknown; header?: Record<string, string> };

export const request = jest.fn(async (_option: RequestOption) => ({ statusCode: 200, data: {}, header: {} }));
export const stopPullDownRefresh = jest.fn();
export const showToast = jest.fn();
export const showModal = jest.fn(async (_option: { title: string; content: string }) => ({ confirm: true }));
export const navigateTo = jest.fn(async (_option: { url: string }) => undefined);
export const navigateBack = jest.fn(async () => undefined);
export const switchTab = jest.fn(async (_option: { url: string }) => undefined);
export const setNavigationBarTitle = jest.fn(async (_option: { title: string }) => undefined);
export const setClipboardData = jest.fn(async (_option: { data: string }) => undefined);
export const previewImage = jest.fn(async (_option: { urls: string[]; current: string }) => undefined);
export const login = jest.fn(async () => ({ code: 'wx-login-code', errMsg: 'login:ok' }));
/** WeChat's 确认离开？ when the user goes back from a page holding unsent changes. */
export const enableAlertBeforeUnload = jest.fn(async (_option: { message: string }) => undefined);
export const disableAlertBeforeUnload = jest.fn(async () => undefined);
export const makePhoneCall = jest.fn(async (_option: { phoneNumber: string }) => undefined);
export const scanCode = jest.fn(async (): Promise<{ result: string; path?: string }> => ({ result: '' }));

// Platform services (inbox badge, subscribe messages, photo redaction).
export const setTabBarBadge = jest.fn(async (_option: { index: number; text: string }) => undefined);
export const removeTabBarBadge = jest.fn(async (_option: { index: number }) => undefined);
/** Answers like WeChat's dialog: every template accepted unless a test says otherwise. */
export const requestSubscribeMessage = jest.fn(async (option: { tmplIds: string[] }) =>
  Object.fromEntries([['errMsg', 'requestSubscribeMessage:ok'], ...option.tmplIds.map((id) => [id, 'accept'])]),
);
type Rect = { left: number; top: number; width: number; height: number };
let elementRect: Rect = { left: 0, top: 0, width: 0, height: 0 };
/** Selector queries answer every element with the rectangle a test set (jsdom lays nothing out). */
export const createSelectorQuery = jest.fn(() => {
  const pendingRects: ((rect: Rect) => void)[] = [];
  const query = {
    select: () => query,
    boundingClientRect: (callback: (rect: Rect) => void) => {
      pendingRects.push(callback);
      return query;
    },
    exec: () => pendingRects.splice(0).forEach((callback) => callback(elementRect)),
  };
  return query;
});

// 随手拍: photos, uploads, location, connectivity and the app coming back to the foreground.
export const redirectTo = jest.fn(async (_option: { url: string }) => undefined);
/** The camera or album: one photo unless a test says otherwise. */
export const chooseMedia = jest.fn(
  async (_option: { count?: number; mediaType?: string[]; sourceType?: string[] }) => ({
    tempFiles: [{ tempFilePath: 'wxfile://tmp/photo-1.jpg', size: 2_000_000, fileType: 'image' }],
    type: 'image',
  }),
);
export const compressImage = jest.fn(async (option: { src: string; quality?: number }) => ({
  tempFilePath: option.src.replace(/\.jpg$/, '-compressed.jpg'),
}));
/** No location unless a test grants one (the user declined, or the phone has no fix). */
export const getLocation = jest.fn(
  async (_option: { type?: string }): Promise<{ longitude: number; latitude: number }> => {
    throw { errMsg: 'getLocation:fail auth deny' };
  },
);
type UploadOption = { url: string; filePath: string; name: string; header?: Record<string, string> };
type UploadAnswer = { statusCode: number; data: string };
/**
 * wx.uploadFile as Taro returns it: a promise with `progress(callback)`. A test answers with
 * `__uploadTask(answer, steps)`: the progress steps are reported, then the answer settles.
 */
export function __uploadTask(answer: Promise<UploadAnswer> | UploadAnswer, steps: number[] = []) {
  let onProgress: ((update: { progress: number }) => void) | undefined;
  const task = (async () => {
    await Promise.resolve();
    for (const progress of steps) {
      onProgress?.({ progress });
      await Promise.resolve();
    }
    return answer;
  })() as Promise<UploadAnswer> & { progress: (callback: (update: { progress: number }) => void) => void };
  task.progress = (callback) => void (onProgress = callback);
  return task;
}
export const uploadFile = jest.fn((_option: UploadOption) => __uploadTask({ statusCode: 201, data: '{}' }));
/** The calls that only record what a page asked for; `__reset` clears them. */
const recorders = {
  stopPullDownRefresh,
  showToast,
  showModal,
  navigateTo,
  navigateBack,
  switchTab,
  setNavigationBarTitle,
  setClipboardData,
  previewImage,
  login,
  scanCode,
  enableAlertBeforeUnload,
  disableAlertBeforeUnload,
  makePhoneCall,
  setTabBarBadge,
  removeTabBarBadge,
  requestSubscribeMessage,
  createSelectorQuery,
  redirectTo,
};
const defaults = new Map<jest.Mock, (...args: never[]) => unknown>(
  [chooseMedia, compressImage, getLocation, uploadFile].map((mock) => [mock, mock.getMockImplementation()!]),
);
const networkListeners = new Set<(status: { isConnected: boolean; networkType: string }) => void>();
const appShowListeners = new Set<() => void>();
// Registered once per app run (as the outbox does at start): __reset keeps them.
export const onNetworkStatusChange = jest.fn(
  (listener: (status: { isConnected: boolean; networkType: string }) => void) => void networkListeners.add(listener),
);
export const onAppShow = jest.fn((listener: () => void) => void appShowListeners.add(listener));
/** Test helper: the phone lost or regained its connection. */
export function __setNetwork(isConnected: boolean): void {
  networkListeners.forEach((listener) => listener({ isConnected, networkType: isConnected ? 'wifi' : 'none' }));
}
/** Test helper: the user brought the mini-program back to the foreground. */
export function __appShow(): void {
  appShowListeners.forEach((listener) => listener());
}

// Storage as wx.*StorageSync keeps it: values stored as given, '' for a missing key.
const storage = new Map<string, unknown>();
export const getStorageSync = jest.fn((key: string) => (storage.has(key) ? storage.get(key) : ''));
export const setStorageSync = jest.fn((key: string, value: unknown) => void storage.set(key, value));
export const removeStorageSync = jest.fn((key: string) => void storage.delete(key));

type Handler = () => void;
type Lifecycle = 'pullDown' | 'reachBottom' | 'show' | 'hide';
const mounted: Record<Lifecycle, Set<{ current: Handler }>> = {
  pullDown: new Set(),
  reachBottom: new Set(),
  show: new Set(),
  hide: new Set(),
};
/** As in Taro, every mounted component's hook gets the page event, with the handler of its latest render. */
function useLifecycle(kind: Lifecycle, handler: Handler): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const set = mounted[kind];
    set.add(latest);
    return () => void set.delete(latest);
  }, [kind]);
}
export const usePullDownRefresh = (handler: Handler) => useLifecycle('pullDown', handler);
export const useReachBottom = (handler: Handler) => useLifecycle('reachBottom', handler);
export const useDidShow = (handler: Handler) => useLifecycle('show', handler);
export const useDidHide = (handler: Handler) => useLifecycle('hide', handler);

let routerParams: Record<string, string> = {};
let routerPath = '';
export const useRouter = () => ({ params: routerParams, path: routerPath });
export const getCurrentInstance = () => ({ router: { params: routerParams, path: routerPath } });

// taro-ui asks which platform it runs on and converts px; answer as the H5 build would unless told otherwise.
export const ENV_TYPE = { WEAPP: 'WEAPP', WEB: 'WEB', ALIPAY: 'ALIPAY' } as const;
let env: string = ENV_TYPE.WEB;
export const getEnv = () => env;
export const pxTransform = (size: number) => `${size / 40}rem`;
export const nextTick = (fn: () => void) => setTimeout(fn, 0);

function fire(kind: Lifecycle): void {
  [...mounted[kind]].forEach((handler) => handler.current());
}

/** Test helper: what the user's pull-down gesture triggers on the page rendered last. */
export function __pullDown(): void {
  fire('pullDown');
}
/** Test helper: the user scrolled to the bottom of the page. */
export function __reachBottom(): void {
  fire('reachBottom');
}
/** Test helper: the user opened another page (or tab) and came back. */
export function __leaveAndComeBack(): void {
  fire('hide');
  fire('show');
}
export function __setEnv(value: 'WEAPP' | 'WEB'): void {
  env = value;
}
/** The page's query, and its path when a test needs it (the page that asked to log in). */
export function __setRouterParams(params: Record<string, string>, path = ''): void {
  routerParams = params;
  routerPath = path;
}
export function __setElementRect(rect: Rect): void {
  elementRect = rect;
}
export function __storage(): Map<string, unknown> {
  return storage;
}
/** Back to a fresh H5 page with empty storage and untouched mocks. */
export function __reset(): void {
  storage.clear();
  // The user agreed to the privacy policy on this phone before (services/privacy.ts), so location and photos go
  // straight on; privacy-pages.test.tsx removes it to see the popup.
  storage.set('linli.privacy', { version: PRIVACY_POLICY_VERSION, agreedAt: '2026-12-01T00:00:00.000Z' });
  env = ENV_TYPE.WEB;
  routerParams = {};
  routerPath = '';
  elementRect = { left: 0, top: 0, width: 0, height: 0 };
  request.mockReset();
  for (const mock of Object.values(recorders)) mock.mockClear();
  // Back to the defaults above: a test that programmed the camera, location or uploads leaves no trace.
  for (const [mock, initial] of defaults) mock.mockReset().mockImplementation(initial);
}

const Taro = {
  request,
  ...recorders,
  chooseMedia,
  compressImage,
  getLocation,
  uploadFile,
  onNetworkStatusChange,
  onAppShow,
  getStorageSync,
  setStorageSync,
  removeStorageSync,
  usePullDownRefresh,
  useReachBottom,
  useDidShow,
  useDidHide,
  useRouter,
  getCurrentInstance,
  ENV_TYPE,
  getEnv,
  pxTransform,
  nextTick,
};
export default Taro;
