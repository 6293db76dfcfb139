import { AtLoadMore } from 'taro-ui';
import type { PagedListState } from '../../hooks/use-paged-list';

type Footer = Pick<PagedListState<unknown>, 'loadingMore' | 'hasMore' | 'loadMoreError' | 'loadMore'>;

/**
 * The foot of a paged list (`usePagedList`): 加载中… while a page loads, 查看更多 to load the next one (or why it
 * failed, 点击重试), 没有更多了 at the end.
 */
export function LoadMore({ list }: { list: Footer }) {
  return (
    <AtLoadMore
      status={list.loadingMore ? 'loading' : list.hasMore ? 'more' : 'noMore'}
      moreText={list.loadMoreError ? `${list.loadMoreError.message}，点击重试` : '查看更多'}
      loadingText="加载中…"
      noMoreText="没有更多了"
      onClick={list.loadMore}
    />
  );
}
