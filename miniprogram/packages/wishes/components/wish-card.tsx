import { Text, View } from '@tarojs/components';
import { memo } from 'react';
import type { WishView } from '../../../../shared/schemas/wishes';
import { daysUntil, wantedByLabel, wishKindLabel, wishStateLabel } from '../../../../shared/wishes';
import { openPage, routes } from '../../../utils/routes';
import '../wishes.scss';

const stateTone: Partial<Record<WishView['state'], string>> = {
  confirmed: 'green',
  fulfilled: 'blue',
  claimed: 'blue',
  rejected: 'grey',
  withdrawn: 'grey',
};

export function StateBadge({ state }: { state: WishView['state'] }) {
  const tone = stateTone[state];
  return <Text className={`wish-badge${tone ? ` wish-badge--${tone}` : ''}`}>{wishStateLabel[state]}</Text>;
}

/** '还剩3天', red when it is due within three days (the wall's order: nearest first). */
export function WantedBy({ date, now = new Date() }: { date: string; now?: Date }) {
  const urgent = daysUntil(date, now) <= 3;
  return (
    <Text className={`wish-badge${urgent ? ' wish-badge--urgent' : ' wish-badge--grey'}`}>
      {wantedByLabel(date, now)}
    </Text>
  );
}

/** The thank-you note of a fulfilled wish, signed with the masked label. */
export function Thanks({ wish }: { wish: WishView }) {
  if (!wish.confirmation?.thanks) return null;
  return (
    <Text className="wish-card__thanks">
      「{wish.confirmation.thanks}」—— {wish.beneficiary.label}
    </Text>
  );
}

/**
 * A wish in a list: its kind and how near its date is (the wall) or its state (my lists, the review queue), the
 * text, for whom as everyone may see it, the value; on 已圆梦 the thank-you note. Tap to open it.
 */
export const WishCard = memo(function WishCard({ wish, show }: { wish: WishView; show: 'wanted' | 'state' }) {
  return (
    <View className="wish-card" onClick={() => openPage(routes.wish(wish.id))}>
      <View className="wish-card__head">
        <Text className="wish-badge">{wishKindLabel[wish.kind]}</Text>
        {show === 'wanted' ? <WantedBy date={wish.wantedBy} /> : <StateBadge state={wish.state} />}
        {wish.onBehalf && <Text className="wish-badge wish-badge--grey">代录</Text>}
      </View>
      <Text className="wish-card__text">{wish.text}</Text>
      <View className="wish-card__meta">
        <Text>为{wish.beneficiary.label}</Text>
        <Text>
          约 {wish.valueYuan} 元 · {wish.place.name}
        </Text>
      </View>
      {wish.claim && wish.state !== 'confirmed' && (
        <Text className="wish-card__note">认领：{wish.claim.isMe ? '我' : wish.claim.name}</Text>
      )}
      <Thanks wish={wish} />
    </View>
  );
});
