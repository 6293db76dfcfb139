import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { AtButton } from 'taro-ui';
import { boardMonth, colourLabel, type Colour } from '../../../../shared/boards';
import type { BoardPage } from '../../../../shared/schemas/boards';
import type { NodeRef } from '../../../../shared/schemas/people';
import { ChoiceChips } from '../../../components/choice-chips';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { api } from '../../../services/api';
import { boardsApi } from '../../../services/boards-api';
import { formatDateTime } from '../../../utils/format';
import { openPage, routes } from '../../../utils/routes';
import { isReviewer, myCommunity } from '../components/community';
import { BoardLine, monthText } from '../components/entry-card';
import '../boards.scss';

const colourTabs: { value: Colour; label: string }[] = [
  { value: 'red', label: colourLabel.red },
  { value: 'black', label: colourLabel.black },
];
const emptyText: Record<Colour, string> = {
  red: '红榜上还没有好人好事，欢迎提名身边的善行义举',
  black: '黑榜上没有条目',
};

type Meta = Pick<BoardPage, 'month' | 'frozen' | 'frozenAt' | 'corrections'>;

/** The month's state: 已封榜 with when, or live until the 1st of the next month; then the correction lines. */
function Head({ meta }: { meta: Meta }) {
  return (
    <View className="board-page">
      <View className={`board-banner${meta.frozen ? ' board-banner--frozen' : ''}`}>
        <Text className="board-banner__title">
          {monthText(meta.month)}
          {meta.frozen ? ' · 已封榜' : ' · 公示中'}
        </Text>
        <Text>
          {meta.frozen
            ? `${meta.frozenAt ? `${formatDateTime(meta.frozenAt)} ` : ''}封榜，榜单不再改动；申诉成立的以更正说明为准`
            : '本月榜单随核实实时更新，次月1日0点（北京时间）封榜公布'}
        </Text>
      </View>
      {meta.corrections.map((c) => (
        <Text key={c.entryId} className="board-correction">
          更正：{c.text}（{formatDateTime(c.at)}）
        </Text>
      ))}
    </View>
  );
}

function Lines({
  community,
  month,
  colour,
  estateId,
}: {
  community: NodeRef;
  month?: string;
  colour: Colour;
  estateId?: string;
}) {
  const [meta, setMeta] = useState<Meta>();
  const loadPage = useCallback(
    async (cursor?: string) => {
      const page = await boardsApi.board({ communityId: community.id, month, colour, estateId, cursor });
      if (!cursor) setMeta(page);
      return page;
    },
    [community.id, month, colour, estateId],
  );
  const list = usePagedList(loadPage);
  // Back from nominating or from an entry just published: the live month may have changed.
  useRefreshOnShow(list.refresh);
  return (
    <View className="board-page">
      {meta && !list.loading && !list.error && <Head meta={meta} />}
      <PageState {...listState(list)} emptyText={emptyText[colour]}>
        {list.items.map((item) => (
          <BoardLine key={item.entryId} item={item} />
        ))}
        <LoadMore list={list} />
      </PageState>
    </View>
  );
}

/** A month's board of the community (this month without `month`): 红榜 / 黑榜, by estate. */
function Board({ month }: { month?: string }) {
  const { me } = useSession();
  const load = useCallback(async () => {
    const community = await myCommunity(me);
    const estates = community ? (await api.children(community.id)).map((v) => v.breadcrumb.at(-1)!) : [];
    return { community, estates: estates.filter((e) => e.kind === 'estate') };
  }, [me]);
  const place = useRequest(load);
  const [colour, setColour] = useState<Colour>('red');
  const [estateId, setEstateId] = useState<string>('all');
  const community = place.data?.community;
  const estates = place.data?.estates ?? [];
  const past = month && month !== boardMonth(new Date());
  return (
    <PageState
      loading={place.loading && !place.data}
      error={place.data ? undefined : place.error}
      onRetry={place.reload}
      empty={!!place.data && !community}
      emptyText="加入社区后可以查看红黑榜"
    >
      {community && (
        <View className="board-page">
          {!past && (
            <AtButton type="primary" onClick={() => openPage(routes.boardNominate())}>
              我要提名
            </AtButton>
          )}
          <View className="board-links">
            <Text onClick={() => openPage(routes.boardRanking(month))}>流动红旗</Text>
            <Text onClick={() => openPage(routes.boardMonths)}>往月榜单</Text>
            <Text onClick={() => openPage(routes.boardMine('mine'))}>我的提名</Text>
            <Text onClick={() => openPage(routes.boardMine('household'))}>与我家有关</Text>
          </View>
          {isReviewer(me) && (
            <View className="board-links">
              <Text onClick={() => openPage(routes.boardQueue)}>核实队列</Text>
              <Text onClick={() => openPage(routes.boardSettings)}>行为与积分</Text>
              <Text onClick={() => openPage(routes.boardFigures)}>数据统计</Text>
            </View>
          )}
          <ChoiceChips options={colourTabs} value={colour} onChange={setColour} />
          {estates.length > 1 && (
            <ChoiceChips
              options={[{ value: 'all', label: '全社区' }, ...estates.map((e) => ({ value: e.id, label: e.name }))]}
              value={estateId}
              onChange={setEstateId}
            />
          )}
          {/* Keyed: another tab or estate starts from its first page. */}
          <Lines
            key={`${colour}-${estateId}`}
            community={community}
            month={month}
            colour={colour}
            estateId={estateId === 'all' ? undefined : estateId}
          />
          <Text className="board-card__note">
            红榜经本人同意才显示姓名；黑榜只显示楼栋单元和行为，不显示姓名和门牌。
          </Text>
        </View>
      )}
    </PageState>
  );
}

export default function BoardPageView() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看本社区的文明行为红黑榜">
      <Board month={params.month} />
    </RequireLogin>
  );
}
