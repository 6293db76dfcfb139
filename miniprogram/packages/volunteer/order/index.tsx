import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect } from 'react';
import { AtButton } from 'taro-ui';
import { ErrorCode } from '../../../../shared/errors';
import type { OrderView } from '../../../../shared/schemas/volunteers';
import { hoursText, serviceKindLabel } from '../../../../shared/volunteers';
import { RequireLogin } from '../../../components/login-prompt';
import { PhotoGrid } from '../../../components/photo-grid';
import { PageState } from '../../../components/page-state';
import { useMoves } from '../../../hooks/use-moves';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { volunteerApi } from '../../../services/volunteer-api';
import { formatTime, placePath } from '../../../utils/format';
import { OrderState, windowText } from '../components/order-card';
import { DoorCodePanel } from './door-code';
import { CodeEntry, ComplainPanel, ComplaintDecision, ManualHoursPanel, RatePanel, SuggestionsPanel } from './panels';
import './index.scss';

/** Someone else moved first: the answer says so and the page shows the order as it is now. */
const STALE: string[] = [ErrorCode.ORDER_STATE_CHANGED, ErrorCode.ORDER_TAKEN];

function Facts({ order }: { order: OrderView }) {
  return (
    <View className="card volunteer-order__facts">
      <View className="volunteer-order__head">
        <Text className="volunteer-order__kind">{serviceKindLabel[order.kind]}</Text>
        <OrderState state={order.state} />
      </View>
      <Text className="volunteer-order__text">{order.description}</Text>
      <PhotoGrid media={order.media} className="volunteer-order__photos" photoClassName="volunteer-order__photo" />
      <Text className="volunteer-order__fact">时间：{windowText(order)}</Text>
      <Text className="volunteer-order__fact">地点：{placePath(order.place)}</Text>
      <Text className="volunteer-order__fact">
        居民：{order.requester.isMe ? '我' : order.requester.displayName}
        {order.requester.phone && !order.requester.isMe ? ` ${order.requester.phone}` : ''}
      </Text>
      {order.volunteer && (
        <Text className="volunteer-order__fact">
          志愿者：{order.volunteer.isMe ? '我' : order.volunteer.displayName}
          {order.volunteer.phone && !order.volunteer.isMe ? ` ${order.volunteer.phone}` : ''}
        </Text>
      )}
      {order.acceptBy && <Text className="volunteer-order__fact">接单期限：{formatTime(order.acceptBy)}</Text>}
      {order.checkInAt && <Text className="volunteer-order__fact">签到：{formatTime(order.checkInAt)}</Text>}
      {order.checkOutAt && <Text className="volunteer-order__fact">签退：{formatTime(order.checkOutAt)}</Text>}
      {order.credited && (
        <Text className="volunteer-order__hours">
          计入服务时长 {hoursText(order.credited.halfHours)} 小时{order.credited.manual ? '（人工补录）' : ''}
        </Text>
      )}
      {order.rating && (
        <Text className="volunteer-order__fact">
          评价：{'★'.repeat(order.rating.score)} {order.rating.comment}
        </Text>
      )}
      {order.complaint && (
        <Text className="volunteer-order__fact">
          投诉：{order.complaint.text}（
          {{ open: '处理中', upheld: '投诉成立，时长已作废', dismissed: '投诉未成立' }[order.complaint.status]}）
        </Text>
      )}
      {order.history.map((h) => (
        <Text key={h.at} className="volunteer-order__history">
          {formatTime(h.at)} {h.volunteer}
          {h.outcome === 'declined' ? `婉拒${h.note ? `：${h.note}` : ''}` : '超时未接单'}
        </Text>
      ))}
    </View>
  );
}

function Order({ id }: { id: string }) {
  const load = useCallback(() => volunteerApi.order(id), [id]);
  const { data: order, loading, error, reload, refresh, update } = useRequest(load);
  useRefreshOnShow(refresh);
  const { run, busy } = useMoves({ update, refresh }, STALE);
  useEffect(prepareSubscribe, []);

  const tap = (label: string, call: () => Promise<OrderView>) => void run(label, call);
  /** Taking on an order: the tap also asks for WeChat messages about it (new dispatches, cancellations). */
  const commit = (label: string, call: () => Promise<OrderView>) => {
    void askToSubscribe(['volunteer.order']);
    tap(label, call);
  };

  const confirmCancel = async () => {
    const { confirm } = await Taro.showModal({ title: '取消点单', content: '确定取消这次服务吗？' });
    if (confirm) tap('已取消', () => volunteerApi.cancel(id));
  };

  return (
    <PageState loading={loading && !order} error={order ? undefined : error} onRetry={reload}>
      {order && (
        <View className="volunteer-order">
          <Facts order={order} />
          {order.requester.isMe && (order.state === 'accepted' || order.state === 'in_service') && (
            <DoorCodePanel orderId={order.id} state={order.state} />
          )}
          {order.actions.includes('dispatch') && <SuggestionsPanel order={order} run={run} busy={busy} />}
          {(order.actions.includes('check_in') || order.actions.includes('check_out')) && (
            <CodeEntry order={order} run={run} busy={busy} />
          )}
          {order.actions.includes('rate') && <RatePanel order={order} run={run} busy={busy} />}
          {order.canDecideComplaint && <ComplaintDecision order={order} run={run} busy={busy} />}
          {order.actions.includes('manual_hours') && <ManualHoursPanel order={order} run={run} busy={busy} />}
          <View className="volunteer-order__buttons">
            {order.actions.includes('accept') && (
              <AtButton type="primary" disabled={busy} onClick={() => commit('已接单', () => volunteerApi.accept(id))}>
                接单
              </AtButton>
            )}
            {order.actions.includes('decline') && (
              <AtButton disabled={busy} onClick={() => tap('已婉拒', () => volunteerApi.decline(id))}>
                婉拒
              </AtButton>
            )}
            {order.actions.includes('take') && (
              <AtButton type="primary" disabled={busy} onClick={() => commit('认领成功', () => volunteerApi.take(id))}>
                认领
              </AtButton>
            )}
            {order.canComplain && <ComplainPanel order={order} run={run} busy={busy} />}
            {order.actions.includes('cancel') && (
              <AtButton size="small" disabled={busy} onClick={confirmCancel}>
                取消点单
              </AtButton>
            )}
          </View>
        </View>
      )}
    </PageState>
  );
}

export default function OrderPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看服务订单">
      <Order id={params.id ?? ''} />
    </RequireLogin>
  );
}
