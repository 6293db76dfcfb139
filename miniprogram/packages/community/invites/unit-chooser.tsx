import { Text, View } from '@tarojs/components';
import { AtList, AtListItem } from 'taro-ui';
import { useCallback, useState } from 'react';
import type { NodeRef } from '../../../../shared/schemas/people';
import type { NodeView } from '../../../../shared/schemas/places';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { api } from '../../../services/api';
import { kindText, placePath } from '../../../utils/format';

interface Place {
  ref: NodeRef;
  householdCount?: number;
}

function asPlace(view: NodeView): Place {
  return { ref: view.breadcrumb[view.breadcrumb.length - 1]!, householdCount: view.householdCount };
}

/**
 * Finds a unit among the places the user may invite to: a unit captain's unit at once, a building
 * captain's units one tap down, staff drill down from their community or street.
 */
export function UnitChooser({ roots, onChoose }: { roots: NodeRef[]; onChoose: (unit: NodeRef) => void }) {
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
    <View>
      <View className="invites__trail">
        <Text className="invites__trail-path">{current ? placePath(current) : '选择要邀请邻居加入的单元'}</Text>
        {trail.length > 0 && (
          <Text className="invites__trail-up" onClick={() => setTrail((t) => t.slice(0, -1))}>
            返回上级
          </Text>
        )}
      </View>
      <PageState loading={loading} error={error} onRetry={reload} empty={data?.length === 0} emptyText="这里没有单元">
        <AtList className="invites__places">
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
