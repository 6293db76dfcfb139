import { Text, View } from '@tarojs/components';
import { useCallback, useMemo, useState } from 'react';
import { AtButton } from 'taro-ui';
import type { VolunteerView } from '../../../../shared/schemas/volunteers';
import { hoursText, volunteerStatusLabel } from '../../../../shared/volunteers';
import { ChoiceChips } from '../../../components/choice-chips';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { volunteerApi, type OrderListView } from '../../../services/volunteer-api';
import { grantsFor } from '../../../utils/permissions';
import { openPage, routes } from '../../../utils/routes';
import { OrderCard } from '../components/order-card';
import './index.scss';

const emptyText: Record<OrderListView, string> = {
  mine: '还没有点过单。需要帮忙时，点「我要点单」',
  tasks: '暂时没有派给您的任务',
  open: '暂时没有可以认领的订单',
  queue: '没有待派的订单',
};

/** My standing as a volunteer: hours and stars (tap for the record), or how to become one. */
function VolunteerCard({ volunteer }: { volunteer: VolunteerView | null }) {
  if (!volunteer) {
    return (
      <View className="volunteer-hub__card">
        <Text className="volunteer-hub__card-title">成为志愿者</Text>
        <Text className="volunteer-hub__card-note">登记技能和空闲时间，社区认证后即可接单服务邻里</Text>
        <AtButton size="small" type="secondary" onClick={() => openPage(routes.volunteerRegister)}>
          注册志愿者
        </AtButton>
      </View>
    );
  }
  const { totals } = volunteer;
  return (
    <View className="volunteer-hub__card" onClick={() => openPage(routes.volunteerRecord)}>
      <View className="volunteer-hub__card-head">
        <Text className="volunteer-hub__card-title">我的志愿服务</Text>
        <Text className="volunteer-hub__status">{volunteerStatusLabel[volunteer.status]}</Text>
      </View>
      <View className="volunteer-hub__figures">
        <Text className="volunteer-hub__hours">{hoursText(totals.halfHours)} 小时</Text>
        <Text>积分 {hoursText(totals.points)}</Text>
        <Text className="volunteer-hub__stars">{'★'.repeat(totals.stars) || '暂无星级'}</Text>
      </View>
      <Text className="volunteer-hub__card-note">查看服务记录 ›</Text>
    </View>
  );
}

function Orders({ view }: { view: OrderListView }) {
  const loadPage = useCallback((cursor?: string) => volunteerApi.orders(view, cursor), [view]);
  const list = usePagedList(loadPage);
  // Back from an order I just moved: it may have changed or left this list.
  useRefreshOnShow(list.refresh);
  return (
    <PageState {...listState(list)} emptyText={emptyText[view]}>
      <View className="volunteer-hub__list">
        {list.items.map((order) => (
          <OrderCard key={order.id} order={order} />
        ))}
        <LoadMore list={list} />
      </View>
    </PageState>
  );
}

function Hub() {
  const { me } = useSession();
  const registration = useRequest(volunteerApi.me);
  useRefreshOnShow(registration.refresh);
  const verified = registration.data?.status === 'verified';
  const dispatcher = grantsFor(me, 'order.dispatch').length > 0;
  const staff = grantsFor(me, 'volunteer.verify').length > 0;
  const views = useMemo(
    () =>
      [
        { value: 'mine' as const, label: '我的点单' },
        ...(verified
          ? [
              { value: 'tasks' as const, label: '我的任务' },
              { value: 'open' as const, label: '可认领' },
            ]
          : []),
        ...(dispatcher ? [{ value: 'queue' as const, label: '派单队列' }] : []),
      ] satisfies { value: OrderListView; label: string }[],
    [verified, dispatcher],
  );
  const [view, setView] = useState<OrderListView>('mine');
  return (
    <View className="volunteer-hub">
      <View className="volunteer-hub__actions">
        <AtButton type="primary" onClick={() => openPage(routes.volunteerNew)}>
          我要点单
        </AtButton>
        <AtButton type="secondary" onClick={() => openPage(routes.volunteerActivities)}>
          志愿活动
        </AtButton>
      </View>
      {staff && (
        <View className="volunteer-hub__manage">
          <AtButton size="small" onClick={() => openPage(routes.volunteerManage)}>
            志愿者审核与数据统计
          </AtButton>
        </View>
      )}
      <PageState loading={registration.loading} error={registration.error} onRetry={registration.reload}>
        <VolunteerCard volunteer={registration.data ?? null} />
      </PageState>
      <View className="volunteer-hub__tabs">
        <ChoiceChips options={views} value={view} onChange={setView} />
      </View>
      <Orders key={view} view={view} />
    </View>
  );
}

export default function VolunteerHub() {
  return (
    <RequireLogin text="登录后点单求助、接单服务邻里">
      <Hub />
    </RequireLogin>
  );
}
