import { stopPullDownRefresh, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError, type ApiError } from '../services/api';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedListState<T> {
  items: T[];
  /** The first page is loading (nothing to show yet). */
  loading: boolean;
  error: ApiError | undefined;
  loadingMore: boolean;
  /** Loading a further page failed; what is shown stays, and loadMore tries again. */
  loadMoreError: ApiError | undefined;
  hasMore: boolean;
  reload: () => Promise<void>;
  refresh: () => Promise<void>;
  loadMore: () => Promise<void>;
  update: (change: (items: T[]) => T[]) => void;
}

/**
 * A cursor-paginated list: the first page on mount, the next one when the user scrolls to the bottom,
 * from the top again on pull-down-refresh. `loadPage` must be stable.
 */
export function usePagedList<T>(loadPage: (cursor?: string) => Promise<Page<T>>): PagedListState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadMoreError, setLoadMoreError] = useState<ApiError>();
  const [cursor, setCursor] = useState<string | null>(null);
  // Which load is current: an older one that answers late (after a refresh) must not append its page.
  const generation = useRef(0);

  const refresh = useCallback(() => {
    const mine = ++generation.current;
    return loadPage().then(
      (page) => {
        if (mine !== generation.current) return;
        setCursor(page.nextCursor);
        setItems(page.items);
        setError(undefined);
        setLoadMoreError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        setError(toApiError(err));
        setLoading(false);
      },
    );
  }, [loadPage]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const reload = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    await refresh();
  }, [refresh]);

  const loadingMoreRef = useRef(false);
  const loadMore = useCallback(async () => {
    if (!cursor || loadingMoreRef.current) return;
    const mine = generation.current;
    loadingMoreRef.current = true;
    setLoadingMore(true);
    setLoadMoreError(undefined);
    try {
      const page = await loadPage(cursor);
      if (mine !== generation.current) return;
      setCursor(page.nextCursor);
      setItems((previous) => [...previous, ...page.items]);
    } catch (err) {
      if (mine === generation.current) setLoadMoreError(toApiError(err));
    } finally {
      loadingMoreRef.current = false;
      setLoadingMore(false);
    }
  }, [loadPage, cursor]);

  usePullDownRefresh(() => {
    void refresh().finally(() => stopPullDownRefresh());
  });
  useReachBottom(() => {
    void loadMore();
  });

  return {
    items,
    loading,
    error,
    loadingMore,
    loadMoreError,
    hasMore: cursor !== null,
    reload,
    refresh,
    loadMore,
    update: setItems,
  };
}
