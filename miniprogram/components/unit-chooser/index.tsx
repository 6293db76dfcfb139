import { Text, View } from '@tarojs/components';
import { AtList, AtListItem } from 'taro-ui';
import { useCallback, useState } from 'react';
import type { NodeRef } from '../../../shared/schemas/people';
import type { NodeView } from '../../../shared/schemas/places';
import { PageState } from '../page-state';
import { useRequest } from '../../hooks/use-request';
import { api } from '../../services/api';
import { kindText, placePath } from '../../utils/format';
import './index.scss';

interface Place {
  ref: NodeRef;
  householdCount?: number;
}

function asPlace(view: NodeView): Place {
  return { ref: view.breadcrumb[view.breadcrumb.length - 1]!, householdCount: view.householdCount };
}

/** Where one is in the matrix, with one way out (返回上级, 更换单元) on the right. */
export function UnitTrail({ path, action, onAction }: { path: string; action?: string; onAction: () => void }) {
  return (
    <View className="unit-chooser__trail">
      <Text className="unit-chooser__path">{path}</Text>
      {action && (
        <Text className="unit-chooser__up" onClick={onAction}>
          {action}
        </Text>
      )}
    </View>
  );
}

/**
 * Finds a unit among the places the user holds a role on (`roots`): a unit captain's unit at once, a building
 * captain's units one tap down, staff drill down from their community or street. Shared by the subpackages
 * (邀请邻居, ordering or recording for a neighbour).
 */
export function UnitChooser({
  roots,
  onChoose,
  prompt = '选择单元',
}: {
  roots: NodeRef[];
  onChoose: (unit: NodeRef) => void;
  /** The line shown above the top level, saying what the unit is chosen for. */
  prompt?: string;
}) {
  // One place that is not itself a unit (a building captain's building): start inside it.
  const [trail, setTrail] = useState<NodeRef[]>(roots.length === 1 && roots[0]!.kind !== 'unit' ? [roots[0]!] : []);
  const current = trail[trail.length - 1];
  const load = useCallback(
    async (): Promise<Place[]> =>
      current ? (await api.children(current.id)).map(asPlace) : roots.map((ref) => ({ ref })),
    [current, roots],
  );
  const { data, loading, error, reload } = useRequest(load);

  const open = useCallback(
    (place: Place) => (place.ref.kind === 'unit' ? onChoose(place.ref) : setTrail((t) => [...t, place.ref])),
    [onChoose],
  );

  return (
    <View className="unit-chooser">
      <UnitTrail
        path={current ? placePath(current) : prompt}
        action={trail.length > 0 ? '返回上级' : undefined}
        onAction={() => setTrail((t) => t.slice(0, -1))}
      />
      <PageState loading={loading} error={error} onRetry={reload} empty={data?.length === 0} emptyText="这里没有单元">
        <AtList className="unit-chooser__places">
          {data?.map((place) => (
            <AtListItem
              key={place.ref.id}
              title={place.ref.name}
              note={`${kindText(place.ref.kind)}${place.householdCount === undefined ? '' : ` · ${place.householdCount} 户`}`}
              arrow="right"
              onClick={() => open(place)}
            />
          ))}
        </AtList>
      </PageState>
    </View>
  );
}
