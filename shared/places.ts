/** The four-level matrix (四级微信矩阵) with an optional street above, and the rules on it. */

export const NodeKind = {
  street: 'street',
  community: 'community',
  estate: 'estate',
  building: 'building',
  unit: 'unit',
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

/** Top-down order: a node's parent is of the kind before it. */
export const nodeKindOrder: readonly NodeKind[] = ['street', 'community', 'estate', 'building', 'unit'];

export const nodeKindLabel: Record<NodeKind, string> = {
  street: '街道',
  community: '社区',
  estate: '小区',
  building: '楼栋',
  unit: '单元',
};

/** The channel names a resident sees for their path, e.g. 单元群 / 楼栋群. */
export const channelLabel: Record<NodeKind, string> = {
  street: '街道',
  community: '社区群',
  estate: '小区群',
  building: '楼栋群',
  unit: '单元群',
};

export function parentKind(kind: NodeKind): NodeKind | undefined {
  return nodeKindOrder[nodeKindOrder.indexOf(kind) - 1];
}

export const HouseholdRelation = { owner: 'owner', family: 'family', tenant: 'tenant' } as const;
export type HouseholdRelation = (typeof HouseholdRelation)[keyof typeof HouseholdRelation];

export const relationLabel: Record<HouseholdRelation, string> = { owner: '业主', family: '家庭成员', tenant: '租户' };

/**
 * Exclusive floor area as an exact integer of hundredths of m² ('89.5' → 8950), as weighted votes need.
 * Returns undefined for anything that is not a positive decimal with at most two places.
 */
export function parseAreaHundredths(text: string): number | undefined {
  const match = /^\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return value > 0 ? value : undefined;
}

/** 8950 → '89.50' */
export function formatAreaHundredths(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** A room label as printed on doors: digits with an optional letter or dash part, e.g. 1201, 3-502, B12. */
export const ROOM_LABEL = /^[A-Za-z0-9][A-Za-z0-9-]{0,11}$/;
