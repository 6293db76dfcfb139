import { Text, View } from '@tarojs/components';
import { useCallback } from 'react';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { boardsApi } from '../../../services/boards-api';
import { openPage, routes } from '../../../utils/routes';
import { monthText } from '../components/entry-card';
import '../boards.scss';

/** 往月榜单: each month of the community's board, newest first, frozen or live, with its counts. */
function Months() {
  const load = useCallback(() => boardsApi.months(), []);
  const { data, loading, error, reload } = useRequest(load);
  return (
    <View className="board-page">
      <PageState
        loading={loading && !data}
        error={data ? undefined : error}
        onRetry={reload}
        empty={data?.items.length === 0}
        emptyText="还没有往月榜单"
      >
        {data?.items.map((m) => (
          <View key={m.month} className="board-card" onClick={() => openPage(routes.board(m.month))}>
            <View className="board-card__head">
              <Text className="board-card__title">{monthText(m.month)}</Text>
              <Text className={`board-badge${m.frozen ? ' board-badge--grey' : ' board-badge--green'}`}>
                {m.frozen ? '已封榜' : '公示中'}
              </Text>
            </View>
            <Text className="board-card__fact">
              红榜 {m.red} 条 · 黑榜 {m.black} 条
            </Text>
          </View>
        ))}
      </PageState>
    </View>
  );
}

export default function BoardMonthsPage() {
  return (
    <RequireLogin text="登录后查看往月红黑榜">
      <Months />
    </RequireLogin>
  );
}
