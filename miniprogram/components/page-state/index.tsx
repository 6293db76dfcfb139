import { Text, View } from '@tarojs/components';
import { AtActivityIndicator, AtButton, AtIcon } from 'taro-ui';
import type { ReactNode } from 'react';
import type { PagedListState } from '../../hooks/use-paged-list';
import './index.scss';

export interface PageStateProps {
  loading: boolean;
  error?: { message: string } | undefined;
  /** True when loaded but there is nothing to show. */
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
  children?: ReactNode;
}

/** PageState's loading, error (with 重试) and empty for a paged list: `<PageState {...listState(list)} …>`. */
export function listState(
  list: Pick<PagedListState<unknown>, 'loading' | 'error' | 'reload' | 'items'>,
): Pick<PageStateProps, 'loading' | 'error' | 'onRetry' | 'empty'> {
  return { loading: list.loading, error: list.error, onRetry: list.reload, empty: list.items.length === 0 };
}

/** The loading, error and empty states every page shows before its content. */
export function PageState({ loading, error, empty, emptyText = '暂无内容', onRetry, children }: PageStateProps) {
  if (loading) {
    return (
      <View className="page-state" aria-busy="true">
        <AtActivityIndicator mode="center" content="加载中…" />
      </View>
    );
  }
  if (error) {
    return (
      <View className="page-state" role="alert">
        <AtIcon value="alert-circle" size="48" color="#c8161d" />
        <Text className="page-state__text">{error.message}</Text>
        {onRetry && (
          <AtButton size="small" type="secondary" onClick={onRetry}>
            重试
          </AtButton>
        )}
      </View>
    );
  }
  if (empty) {
    return (
      <View className="page-state">
        <AtIcon value="file-generic" size="48" color="#bbbbbb" />
        <Text className="page-state__text">{emptyText}</Text>
      </View>
    );
  }
  return <>{children}</>;
}
