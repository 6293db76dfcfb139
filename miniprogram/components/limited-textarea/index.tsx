import { Text, View } from '@tarojs/components';
import { AtTextarea } from 'taro-ui';
import { useState } from 'react';
import './index.scss';

export interface LimitedTextareaProps {
  value: string;
  onChange: (value: string) => void;
  max: number;
  placeholder?: string;
  height?: number;
  disabled?: boolean;
  className?: string;
}

/**
 * A textarea with a counter that takes no more than `max` characters. Text pasted over the limit is cut there
 * and a note says so (a plain maxlength would drop the rest without a word).
 */
export function LimitedTextarea({
  value,
  onChange,
  max,
  placeholder,
  height,
  disabled,
  className,
}: LimitedTextareaProps) {
  const [cut, setCut] = useState(false);
  const change = (next: string) => {
    const over = next.length > max;
    setCut(over);
    onChange(over ? next.slice(0, max) : next);
  };
  return (
    <View className="limited-textarea">
      <AtTextarea
        className={className}
        value={value}
        count={false}
        // Unlimited here: the cut and its note are ours.
        maxLength={-1}
        height={height}
        disabled={disabled}
        placeholder={placeholder}
        onChange={change}
      />
      <View className="limited-textarea__footer">
        {cut && <Text className="limited-textarea__cut">已截断至 {max} 字</Text>}
        <Text className="limited-textarea__count">
          {value.length}/{max}
        </Text>
      </View>
    </View>
  );
}
