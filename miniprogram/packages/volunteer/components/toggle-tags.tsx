import { View } from '@tarojs/components';
import { AtTag } from 'taro-ui';

/** Several choices among a few, as tags that toggle (skills, days): `value` is the chosen ones. */
export function ToggleTags<V extends string>({
  options,
  value,
  disabled = false,
  onChange,
}: {
  options: readonly { value: V; label: string }[];
  value: readonly V[];
  disabled?: boolean;
  onChange: (value: V[]) => void;
}) {
  return (
    <View className="choice-chips" role="group">
      {options.map((option) => (
        <AtTag
          key={option.value}
          className="choice-chips__chip"
          type="primary"
          active={value.includes(option.value)}
          disabled={disabled}
          onClick={() =>
            onChange(value.includes(option.value) ? value.filter((v) => v !== option.value) : [...value, option.value])
          }
        >
          {option.label}
        </AtTag>
      ))}
    </View>
  );
}
