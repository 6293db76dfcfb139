import { Text, View } from '@tarojs/components';
import { AtIcon } from 'taro-ui';
import { memo } from 'react';
import type { CategoryView } from '../../../../shared/schemas/reports';
import { spanText } from '../../../utils/report';

const CategoryTile = memo(function CategoryTile({
  category,
  selected,
  disabled,
  onSelect,
}: {
  category: CategoryView;
  selected: boolean;
  disabled: boolean;
  onSelect: (code: string) => void;
}) {
  return (
    <View
      className={`category-grid__tile${selected ? ' category-grid__tile--selected' : ''}`}
      role="radio"
      aria-checked={selected}
      onClick={disabled ? undefined : () => onSelect(category.code)}
    >
      <AtIcon value={category.icon} size="26" color={selected ? '#fff' : '#c8161d'} />
      <Text className="category-grid__name">{category.name}</Text>
    </View>
  );
});

/** The community's categories as a grid of icons; under it, what the chosen one covers and its time limits. */
export function CategoryGrid({
  categories,
  value,
  disabled,
  onChange,
}: {
  categories: CategoryView[];
  value: string | undefined;
  disabled: boolean;
  onChange: (code: string) => void;
}) {
  const chosen = categories.find((c) => c.code === value);
  return (
    <View>
      <View className="category-grid" role="radiogroup">
        {categories.map((category) => (
          <CategoryTile
            key={category.code}
            category={category}
            selected={category.code === value}
            disabled={disabled}
            onSelect={onChange}
          />
        ))}
      </View>
      {chosen && (
        <Text className="category-grid__hint">
          {chosen.keywords.length > 0 ? `如${chosen.keywords.join('、')}。` : ''}
          {`${spanText(chosen.acceptWithinMinutes)}内受理，${spanText(chosen.resolveWithinMinutes)}内办结`}
          {chosen.privateByDefault ? '；默认仅处理人员可见' : ''}
        </Text>
      )}
    </View>
  );
}
