/**
 * A small stand-in for @tarojs/taro under jsdom. `request` is a jest mock each test programs with the
 * response the server would give; the rest records what a page asked the platform to do.
 */
type RequestOption = { url: string; method?: string; data?: unknown; header?: Record<string, string> };

export const request = jest.fn(async (_option: RequestOption) => ({ statusCode: 200, data: {}, header: {} }));
export const stopPullDownRefresh = jest.fn();
export const showToast = jest.fn();
export const navigateTo = jest.fn();

let pullDownHandler: (() => void) | undefined;
export function usePullDownRefresh(handler: () => void): void {
  pullDownHandler = handler;
}
/** Test helper: what the user's pull-down gesture triggers on the page rendered last. */
export function __pullDown(): void {
  pullDownHandler?.();
}

// taro-ui asks which platform it runs on and converts px; answer as the H5 build would.
export const ENV_TYPE = { WEAPP: 'WEAPP', WEB: 'WEB' } as const;
export const getEnv = () => ENV_TYPE.WEB;
export const pxTransform = (size: number) => `${size / 40}rem`;
export const nextTick = (fn: () => void) => setTimeout(fn, 0);

const Taro = {
  request,
  stopPullDownRefresh,
  showToast,
  navigateTo,
  usePullDownRefresh,
  ENV_TYPE,
  getEnv,
  pxTransform,
  nextTick,
};
export default Taro;
