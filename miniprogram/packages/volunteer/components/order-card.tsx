import { Text, View } from '@tarojs/components';
import dayjs from 'dayjs';
import { memo } from 'react';
import type { OrderView } from '../../../../shared/schemas/volunteers';
import { orderStateLabel, serviceKindLabel } from '../../../../shared/volunteers';
import { openPage, routes } from '../../../utils/routes';
import './order-card.scss';

/** '12月3日 14:00–16:00': the wanted window. */
export function windowText(order: Pick<OrderView, 'windowStart' | 'windowEnd'>): string {
  return `${dayjs(order.windowStart).format('M月D日 HH:mm')}–${dayjs(order.windowEnd).format('HH:mm')}`;
}

export function OrderState({ state }: { state: OrderView['state'] }) {
  return <Text className={`order-state order-state--${state}`}>{orderStateLabel[state]}</Text>;
}

/** An order in a list: kind and state, the text, when and where. Tap to open it. */
export const OrderCard = memo(function OrderCard({ order }: { order: OrderView }) {
  return (
    <View className="order-card" onClick={() => openPage(routes.volunteerOrder(order.id))}>
      <View className="order-card__head">
        <Text className="order-card__kind">{serviceKindLabel[order.kind]}</Text>
        <OrderState state={order.state} />
      </View>
      <Text className="order-card__text">{order.description}</Text>
      <View className="order-card__meta">
        <Text>{windowText(order)}</Text>
        <Text>{order.place.path.slice(1).join(' ')}</Text>
      </View>
    </View>
  );
});
