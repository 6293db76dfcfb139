import { useCallback } from 'react';
import type { Me, NodeRef } from '../../../../shared/schemas/people';
import { useRequest } from '../../../hooks/use-request';
import { reportApi } from '../../../services/api';

export interface Place {
  id: string;
  /** '1栋1单元（本单元）', '1栋 楼栋公共区域', '阳光花园 小区公共区域' */
  label: string;
}

const unitLabel = (unit: NodeRef) => `${unit.path.slice(2).join('')}（本单元）`;

async function loadPlaces(unitIds: string[]): Promise<Place[]> {
  const views = await Promise.all(unitIds.map((id) => reportApi.node(id)));
  const places = new Map<string, Place>();
  for (const view of views) {
    const unit = view.breadcrumb.find((n) => n.kind === 'unit');
    if (unit) places.set(unit.id, { id: unit.id, label: unitLabel(unit) });
  }
  for (const view of views) {
    // Nearest first: the building before the estate.
    for (const node of [...view.breadcrumb].reverse()) {
      if (node.kind === 'building') places.set(node.id, { id: node.id, label: `${node.name} 楼栋公共区域` });
      if (node.kind === 'estate') places.set(node.id, { id: node.id, label: `${node.name} 小区公共区域` });
    }
  }
  return [...places.values()];
}

/**
 * Where a problem may be reported: my unit (the default), or the common areas of my building or my
 * estate, for each household I belong to. Without the buildings and estates (no signal) my units remain.
 */
export function usePlaces(me: Me): Place[] {
  const unitIds = me.households.map((household) => household.unit.id).join(',');
  const load = useCallback(() => loadPlaces(unitIds.split(',')), [unitIds]);
  const { data } = useRequest(load);
  return data ?? me.households.map(({ unit }) => ({ id: unit.id, label: unitLabel(unit) }));
}
