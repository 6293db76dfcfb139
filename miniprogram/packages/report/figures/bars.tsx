import { Text, View } from '@tarojs/components';
import { memo } from 'react';

/** A rate as a big percentage with its fraction and a gauge; '—' while nothing counts towards it. */
export const RateTile = memo(function RateTile({
  title,
  rate,
  detail,
}: {
  title: string;
  rate: number | null;
  detail: string;
}) {
  const percent = rate === null ? null : Math.round(rate * 1000) / 10;
  return (
    <View className="rate-tile">
      <Text className="rate-tile__title">{title}</Text>
      <Text className="rate-tile__value">{percent === null ? '—' : `${percent}%`}</Text>
      <View className="rate-tile__track">
        <View className="rate-tile__fill" style={{ width: `${percent ?? 0}%` }} />
      </View>
      <Text className="rate-tile__detail">{detail}</Text>
    </View>
  );
});
