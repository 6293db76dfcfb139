import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef } from 'react';
import { readStored, writeStored } from '../services/storage';
import { inWechat } from '../utils/platform';

const LEAVE_MESSAGE = '确认离开？未提交的内容会保留在本机，下次打开时恢复';

/** A form's half-written content kept under `storageKey`, or undefined when none (or not of the form's shape). */
export function readFormDraft<T>(storageKey: string, isValid: (value: unknown) => value is T): T | undefined {
  return readStored(storageKey, isValid);
}

/** H5: the browser's own 离开此网站？ on a reload or a closed tab. */
function askBeforeUnload(event: BeforeUnloadEvent): void {
  event.preventDefault();
  // Older browsers show the dialog only when returnValue is set.
  event.returnValue = '';
}

function guardLeaving(on: boolean): void {
  if (inWechat()) {
    // WeChat's 确认离开？ when the user goes back (the button or the gesture).
    if (on) void Taro.enableAlertBeforeUnload({ message: LEAVE_MESSAGE });
    else void Taro.disableAlertBeforeUnload();
  } else if (typeof window !== 'undefined') {
    window.removeEventListener('beforeunload', askBeforeUnload);
    if (on) window.addEventListener('beforeunload', askBeforeUnload);
  }
}

/**
 * Keeps a form's half-written content on the phone while it is being written, so that going back, a reload or
 * WeChat closing the mini-program loses nothing: `value` is what to keep (memoised: it is written whenever it
 * changes), undefined when the form holds nothing worth keeping. While there is something, leaving asks first.
 * Without a `storageKey` nothing is stored (the content is kept elsewhere) but leaving still asks.
 * `discard()` after a successful submit (or 清空) forgets it and lets the user leave freely.
 *
 * ```tsx
 * const [kept] = useState(() => readFormDraft(key, isMyDraft));  // restore into the fields' initial state
 * const value = useMemo(() => (text ? { text } : undefined), [text]);
 * const { discard } = useFormDraft(key, value);
 * ```
 */
export function useFormDraft<T>(storageKey: string | undefined, value: T | undefined) {
  const discarded = useRef(false);
  useEffect(() => {
    if (discarded.current) return;
    if (storageKey) writeStored(storageKey, value);
    guardLeaving(value !== undefined);
  }, [storageKey, value]);
  useEffect(() => () => guardLeaving(false), []);
  const discard = useCallback(() => {
    discarded.current = true;
    if (storageKey) writeStored(storageKey, undefined);
    guardLeaving(false);
  }, [storageKey]);
  return { discard };
}
