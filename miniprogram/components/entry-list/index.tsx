import { Text } from '@tarojs/components';
import { AtList, AtListItem } from 'taro-ui';
import { useRefreshOnShow } from '../../hooks/use-refresh-on-show';
import { useRequest } from '../../hooks/use-request';
import { countText } from '../../utils/format';
import { openPage } from '../../utils/routes';

export interface Entry {
  title: string;
  note?: string;
  /** A taro-ui icon, drawn in the brand red. */
  icon: string;
  /** The page the entry opens. */
  url: string;
  /** Something waiting (a number, or a text such as '50+'): a red count beside the entry; none while 0. */
  count?: number | string;
  /** Loads the count instead: when the entry shows (so only those who see it ask), again whenever the page shows. */
  loadCount?: () => Promise<number | string>;
}

interface ItemProps {
  entry: Entry;
  block: string;
  count: number | string | undefined;
}

function EntryItem({ entry, block, count }: ItemProps) {
  return (
    <AtListItem
      title={entry.title}
      note={entry.note}
      extraText={
        count ? <Text className={`${block}__count`}>{typeof count === 'number' ? countText(count) : count}</Text> : ''
      }
      arrow="right"
      iconInfo={{ value: entry.icon, color: '#c8161d', size: 20 }}
      onClick={() => openPage(entry.url)}
    />
  );
}

function LoadedCountItem({ entry, block, load }: Omit<ItemProps, 'count'> & { load: () => Promise<number | string> }) {
  const { data, refresh } = useRequest(load);
  useRefreshOnShow(refresh);
  return <EntryItem entry={entry} block={block} count={data} />;
}

/**
 * A card of entries to other pages (我的, the 随手拍 tab), each with its icon, title, note and a count when
 * something waits. `block` names the page's classes: the list is `<block>__entries`, a count `<block>__count`.
 * Entries that are `false` (not for this user) are left out.
 */
export function EntryList({ block, entries }: { block: string; entries: (Entry | false)[] }) {
  return (
    <AtList className={`${block}__entries`}>
      {entries.map((entry) =>
        !entry ? null : entry.loadCount ? (
          <LoadedCountItem key={entry.title} entry={entry} block={block} load={entry.loadCount} />
        ) : (
          <EntryItem key={entry.title} entry={entry} block={block} count={entry.count} />
        ),
      )}
    </AtList>
  );
}
