import { Text } from '@tarojs/components';

/** The neighbour's household a wish is recorded for (代录), with how it reads ('1栋1单元302'). */
export interface Neighbour {
  householdId: string;
  label: string;
}

/** Chooses the neighbour's household. (To do: the household picker.) */
export function NeighbourChoice({
  value,
}: {
  value: Neighbour | undefined;
  disabled?: boolean;
  onChange: (value: Neighbour) => void;
}) {
  return <Text className="wish-form__note">{value ? `受助居民：${value.label}` : '请选择受助居民的房屋'}</Text>;
}
