import Taro from '@tarojs/taro';

/**
 * What the app keeps on the phone (Taro storage: wx storage in WeChat, localStorage in a browser). A value that
 * cannot be read, or does not have the expected shape, reads as missing; a write that fails (storage full) is
 * dropped: what was kept then lives for this run only.
 */
export function readStored<T>(key: string, isValid: (value: unknown) => value is T): T | undefined {
  try {
    const stored: unknown = Taro.getStorageSync(key);
    return isValid(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `value` under `key`; undefined removes it. */
export function writeStored(key: string, value: unknown): void {
  try {
    if (value === undefined) Taro.removeStorageSync(key);
    else Taro.setStorageSync(key, value);
  } catch {
    // Storage full or unavailable: see above.
  }
}
