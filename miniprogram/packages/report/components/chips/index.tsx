import { View } from '@tarojs/components';
import { AtTag } from 'taro-ui';
import { memo } from 'react';
import './index.scss';

export interface Chip<V extends string> {
  value: V;
  label: string;
}

const ChipTag = memo(function ChipTag({
  value,
  label,
  selected,
  disabled,
  onSelect,
}: {
  value: string;
  label: string;
  selected: boolean;
  disabled: boolean;
  onSelect: (value: string) => void;
}) {
  return (
    <AtTag
      className="report-chips__chip"
      type="primary"
      active={selected}
      disabled={disabled}
      onClick={() => onSelect(value)}
    >
      {label}
    </AtTag>
  );
});

/**
 * One choice among a few shown as tags: a place, a state filter, a period, a reason. (The community
 * subpackage has its own: a subpackage cannot load another's code in WeChat.)
 */
export function Chips<V extends string>({
  options,
  value,
  disabled = false,
  onChange,
}: {
  options: readonly Chip<V>[];
  value: V | undefined;
  disabled?: boolean;
  /** Keep it stable (a state setter) so unchanged chips do not re-render. */
  onChange: (value: V) => void;
}) {
  return (
    <View className="report-chips" role="radiogroup">
      {options.map((option) => (
        <ChipTag
          key={option.value}
          value={option.value}
          label={option.label}
          selected={option.value === value}
          disabled={disabled}
          onSelect={onChange as (value: string) => void}
        />
      ))}
    </View>
  );
}
