import { stopPullDownRefresh, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../services/api';
import { ClientErrorCode, friendlyMessage } from '../services/error-messages';

export interface RequestState<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | undefined;
  /** Shows the loading state and loads again (the 重试 button). */
  reload: () => Promise<void>;
}

function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const code = ClientErrorCode.UNEXPECTED_RESPONSE;
  return new ApiError(code, friendlyMessage(code), 0);
}

/**
 * Loads a page's data and exposes loading/error for PageState. Pull-down-refresh reloads while the
 * current content stays on screen. `load` must be stable (a module function or a useCallback).
 */
export function useRequest<T>(load: () => Promise<T>): RequestState<T> {
  const [state, setState] = useState<{ data?: T; loading: boolean; error?: ApiError }>({ loading: true });

  const fetchData = useCallback(async () => {
    try {
      const data = await load();
      setState({ data, loading: false });
    } catch (err) {
      setState((previous) => ({ data: previous.data, loading: false, error: asApiError(err) }));
    }
  }, [load]);

  useEffect(() => {
    void fetchData();
  }, [fetchData]);

  const reload = useCallback(async () => {
    setState((previous) => ({ data: previous.data, loading: true }));
    await fetchData();
  }, [fetchData]);

  usePullDownRefresh(() => {
    void fetchData().finally(() => stopPullDownRefresh());
  });

  return { data: state.data, loading: state.loading, error: state.error, reload };
}
