import { View } from '@tarojs/components';
import { useCallback, useState, type ReactNode } from 'react';
import type { Me } from '../../../../../shared/schemas/people';
import { ChoiceChips } from '../../../../components/choice-chips';
import { PageState } from '../../../../components/page-state';
import { useRequest } from '../../../../hooks/use-request';
import { communitiesOf } from '../../../../utils/communities';
import { isStaffGrant } from '../../../../utils/report';
import './index.scss';

/** What figures and the ledger are about: a community (staff), or one grid of it (its grid workers). */
export interface FiguresScope {
  key: string;
  label: string;
  communityId: string;
  gridId?: string;
}

/** The communities a staff member answers for (their own, or each one under their street), and a grid worker's grids. */
async function scopesOf(me: Me): Promise<FiguresScope[]> {
  const communities = (await communitiesOf(me.roles.filter(isStaffGrant))).map((ref) => ({
    key: ref.id,
    label: ref.name,
    communityId: ref.id,
  }));
  const grids = me.roles.flatMap((grant) =>
    grant.role === 'grid_worker' && grant.gridId
      ? [{ key: grant.gridId, label: grant.gridName ?? '我的网格', communityId: grant.node.id, gridId: grant.gridId }]
      : [],
  );
  return [...communities, ...grids];
}

/**
 * Shows `children(scope)` for one of the communities (or grids) the user answers for, with a chooser when
 * there are several. Without any, says the page is for community staff and grid workers.
 */
export function CommunityScope({ me, children }: { me: Me; children: (scope: FiguresScope) => ReactNode }) {
  const load = useCallback(() => scopesOf(me), [me]);
  const scopes = useRequest(load);
  const [chosen, setChosen] = useState<string>();
  const current = scopes.data?.find((s) => s.key === chosen) ?? scopes.data?.[0];

  const options = (scopes.data ?? []).map((s) => ({ value: s.key, label: s.label }));
  return (
    <PageState
      loading={scopes.loading}
      error={scopes.error}
      onRetry={scopes.reload}
      empty={options.length === 0}
      emptyText="此页面供社区工作人员和网格员查看"
    >
      {options.length > 1 && (
        <View className="community-scope">
          <ChoiceChips options={options} value={current?.key} onChange={setChosen} />
        </View>
      )}
      {current && children(current)}
    </PageState>
  );
}
