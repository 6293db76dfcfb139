import { View } from '@tarojs/components';
import { AtTag } from 'taro-ui';
import { memo } from 'react';
import './index.scss';

export interface Choice<V extends string> {
  value: V;
  label: string;
}

interface ChipProps {
  value: string;
  label: string;
  selected: boolean;
  disabled: boolean;
  onSelect: (value: string) => void;
}

const Chip = memo(function Chip({ value, label, selected, disabled, onSelect }: ChipProps) {
  return (
    <AtTag
      className="choice-chips__chip"
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
 * A single choice among a few options shown as tags: a room, a relation, a validity period, a reason, a place,
 * a state filter, a period. Shared by the subpackages (one cannot load another's code in WeChat).
 */
export function ChoiceChips<V extends string>({
  options,
  value,
  disabled = false,
  wide = false,
  onChange,
}: {
  options: readonly Choice<V>[];
  value: V | undefined;
  disabled?: boolean;
  /** Every chip at least 112px wide, so short labels (a room number, 7天) line up. */
  wide?: boolean;
  /** Keep it stable (a state setter) so unchanged chips do not re-render. */
  onChange: (value: V) => void;
}) {
  return (
    <View className={wide ? 'choice-chips choice-chips--wide' : 'choice-chips'} role="radiogroup">
      {options.map((option) => (
        <Chip
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
