import { Text, View } from '@tarojs/components';
import { AtActivityIndicator, AtButton, AtIcon } from 'taro-ui';
import type { ReactNode } from 'react';
import { ErrorCode } from '../../../shared/errors';
import type { PagedListState } from '../../hooks/use-paged-list';
import { friendlyMessage } from '../../services/error-messages';
import './index.scss';

export interface PageStateProps {
  loading: boolean;
  /** An ApiError's FORBIDDEN and NOT_FOUND say so in their own words and offer no 重试. */
  error?: { message: string; code?: string } | undefined;
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

const lastingErrors: Partial<Record<string, { icon: string; text: string }>> = {
  [ErrorCode.FORBIDDEN]: { icon: 'lock', text: '您没有权限查看此内容' },
  [ErrorCode.NOT_FOUND]: { icon: 'file-generic', text: friendlyMessage(ErrorCode.NOT_FOUND) },
};

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
    // Trying again changes neither: the item is not the caller's to see, or is gone.
    const lasting = error.code ? lastingErrors[error.code] : undefined;
    return (
      <View className="page-state" role="alert">
        <AtIcon value={lasting?.icon ?? 'alert-circle'} size="48" color={lasting ? '#bbbbbb' : '#c8161d'} />
        <Text className="page-state__text">{lasting?.text ?? error.message}</Text>
        {onRetry && !lasting && (
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
