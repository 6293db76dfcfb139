import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback } from 'react';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { boardsApi } from '../../../services/boards-api';
import { monthText } from '../components/entry-card';
import '../boards.scss';

/** The buildings by civility points per household for the month, the 流动红旗 and the tie rule. */
function Ranking({ month }: { month?: string }) {
  const load = useCallback(() => boardsApi.ranking(undefined, month), [month]);
  const { data, loading, error, reload } = useRequest(load);
  return (
    <View className="board-page">
      <PageState loading={loading && !data} error={data ? undefined : error} onRetry={reload}>
        {data && (
          <View className="board-page">
            <View className={`board-flag${data.redFlag ? '' : ' board-flag--none'}`}>
              <Text className="board-flag__title">
                {data.redFlag ? `流动红旗：${data.redFlag.name}` : '本月流动红旗暂无得主'}
              </Text>
              <Text className="board-flag__note">
                {monthText(data.month)}
                {data.frozen ? ' · 已封榜' : ' · 实时排名，封榜后为准'}
              </Text>
            </View>
            <View className="board-card">
              <Text className="board-card__title">楼栋文明积分排名（按户均积分）</Text>
              {data.items.length === 0 && <Text className="board-card__note">本月还没有楼栋积分</Text>}
              {data.items.map((b) => (
                <View key={b.buildingId} className="board-row">
                  <Text className="board-row__rank">{b.rank}</Text>
                  <Text className="board-row__name">
                    {b.name}
                    {data.redFlag?.buildingId === b.buildingId ? ' 🚩' : ''}
                  </Text>
                  <Text className="board-row__figure">
                    户均 {b.perHousehold} 分 · 红{b.red} 黑{b.black} · {b.households} 户
                  </Text>
                </View>
              ))}
              <Text className="board-card__note">并列规则：{data.tieRule}</Text>
              <Text className="board-card__note">流动红旗授予户均积分唯一最高且大于零的楼栋。</Text>
            </View>
          </View>
        )}
      </PageState>
    </View>
  );
}

export default function BoardRankingPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看楼栋文明积分排名">
      <Ranking month={params.month} />
    </RequireLogin>
  );
}
