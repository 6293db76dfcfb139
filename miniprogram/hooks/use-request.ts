import { stopPullDownRefresh, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../services/api';

export interface RequestState<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | undefined;
  /** Shows the loading state and loads again (the 重试 button). */
  reload: () => Promise<void>;
  /** Loads again while the current content stays on screen (pull-down-refresh, coming back to the page). */
  refresh: () => Promise<void>;
  /** Changes the loaded data in place, e.g. an optimistic update before the server answers. */
  update: (change: (data: T | undefined) => T | undefined) => void;
}

/**
 * Loads a page's data and exposes loading/error for PageState. Pull-down-refresh reloads while the
 * current content stays on screen. `load` must be stable (a module function or a useCallback).
 */
export function useRequest<T>(load: () => Promise<T>): RequestState<T> {
  const [state, setState] = useState<{ data?: T; loading: boolean; error?: ApiError }>({ loading: true });

  const refresh = useCallback(async () => {
    try {
      const data = await load();
      setState({ data, loading: false });
    } catch (err) {
      setState((previous) => ({ data: previous.data, loading: false, error: toApiError(err) }));
    }
  }, [load]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const reload = useCallback(async () => {
    setState((previous) => ({ data: previous.data, loading: true }));
    await refresh();
  }, [refresh]);

  const update = useCallback((change: (data: T | undefined) => T | undefined) => {
    setState((previous) => ({ ...previous, data: change(previous.data) }));
  }, []);

  usePullDownRefresh(() => {
    void refresh().finally(() => stopPullDownRefresh());
  });

  return { data: state.data, loading: state.loading, error: state.error, reload, refresh, update };
}
