import { useState } from 'react';
import { toApiError } from '../services/api';
import { toastError, toastSuccess } from '../utils/toast';
import type { RequestState } from './use-request';

/** A move on the item a page shows: `call` asks the service, `label` is the toast when it answers. */
export type Run<T> = (label: string, call: () => Promise<T>) => Promise<boolean>;

/**
 * Moves on the item a detail page shows (a wish, a board entry, a volunteer order): `run(label, call)` marks the
 * page busy, puts the moved item the service answers in place and toasts `label`, and answers whether it worked.
 * A refusal is toasted; one whose code is in `stale` (someone else moved the item first) loads the item again, and
 * one in `stale` or `shown` leaves its message in `notice` until the next move.
 */
export function useMoves<T>(
  request: Pick<RequestState<T>, 'update' | 'refresh'>,
  stale: readonly string[],
  shown: readonly string[] = [],
): { run: Run<T>; busy: boolean; notice: string | undefined } {
  const { update, refresh } = request;
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const run: Run<T> = async (label, call) => {
    setBusy(true);
    setNotice(undefined);
    try {
      const moved = await call();
      update(() => moved);
      toastSuccess(label);
      return true;
    } catch (err) {
      toastError(err);
      const failure = toApiError(err);
      if (shown.includes(failure.code)) setNotice(failure.message);
      if (stale.includes(failure.code)) {
        setNotice(failure.message);
        await refresh();
      }
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, notice };
}
