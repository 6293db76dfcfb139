import { Text, View } from '@tarojs/components';
import { memo } from 'react';
import './index.scss';

export interface Bar {
  key: string;
  label: string;
  value: number;
}

const BarRow = memo(function BarRow({ bar, max, tone }: { bar: Bar; max: number; tone: string }) {
  const width = max > 0 ? Math.max(2, Math.round((bar.value / max) * 100)) : 0;
  return (
    <View className="bars__row">
      <Text className="bars__label">{bar.label}</Text>
      <View className="bars__track">
        <View className={`bars__fill bars__fill--${tone}`} style={{ width: `${width}%` }} />
      </View>
      <Text className="bars__value">{bar.value}</Text>
    </View>
  );
});

/** Counts as horizontal bars scaled to the largest, each with its label and number. */
export function Bars({ bars, tone = 'red' }: { bars: Bar[]; tone?: 'red' | 'blue' }) {
  const max = Math.max(0, ...bars.map((b) => b.value));
  return (
    <View className="bars">
      {bars.map((bar) => (
        <BarRow key={bar.key} bar={bar} max={max} tone={tone} />
      ))}
    </View>
  );
}
