import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import type { NodeRef } from '../../../../shared/schemas/people';
import { ChoiceChips } from '../../../components/choice-chips';
import { PageState } from '../../../components/page-state';
import { UnitTrail } from '../../../components/unit-chooser';
import { useRequest } from '../../../hooks/use-request';
import { api } from '../../../services/api';
import { kindText } from '../../../utils/format';

/** Places an entry may be about: an estate's common area, a building or a unit. */
export const placeKinds = ['estate', 'building', 'unit'];

/**
 * 在哪里: walks down from the caller's places (`roots`: a resident's estate, a grid worker's or staff member's
 * community) — each tap picks the place and shows what is under it, so the estate (its common area), a building or
 * a unit can be chosen. `onChange` gets the place, or undefined while none that may be chosen is picked.
 */
export function PlacePicker({
  roots,
  disabled,
  onChange,
}: {
  roots: NodeRef[];
  disabled?: boolean;
  onChange: (place: NodeRef | undefined) => void;
}) {
  const [trail, setTrail] = useState<NodeRef[]>([]);
  const current = trail[trail.length - 1];
  const load = useCallback(
    async (): Promise<NodeRef[]> =>
      !current
        ? roots
        : current.kind === 'unit'
          ? []
          : (await api.children(current.id)).map((view) => view.breadcrumb[view.breadcrumb.length - 1]!),
    [current, roots],
  );
  const { data, loading, error, reload } = useRequest(load);
  const go = (next: NodeRef[]) => {
    setTrail(next);
    const last = next[next.length - 1];
    onChange(last && placeKinds.includes(last.kind) ? last : undefined);
  };
  const options = data ?? [];
  return (
    <View>
      <UnitTrail
        path={current ? current.path.slice(1).join(' ') || current.name : '选择发生地点'}
        action={trail.length > 0 && !disabled ? '返回上级' : undefined}
        onAction={() => go(trail.slice(0, -1))}
      />
      {current && placeKinds.includes(current.kind) && (
        <Text className="board-form__note">
          已选：{current.path.slice(1).join(' ')}
          {current.kind === 'estate' ? '（小区公共区域）' : ''}
          {current.kind !== 'unit' ? '，可继续选到楼栋或单元' : ''}
        </Text>
      )}
      <PageState loading={loading} error={error} onRetry={reload}>
        {options.length > 0 && (
          <ChoiceChips
            options={options.map((p) => ({
              value: p.id,
              label: `${p.name}${trail.length ? '' : `（${kindText(p.kind)}）`}`,
            }))}
            value={undefined}
            disabled={disabled}
            onChange={(id: string) => {
              const picked = options.find((p) => p.id === id);
              if (picked) go([...trail, picked]);
            }}
          />
        )}
      </PageState>
    </View>
  );
}
