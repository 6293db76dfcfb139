import { View } from '@tarojs/components';
import { useCallback, useState, type ReactNode } from 'react';
import type { Me, NodeRef } from '../../../../../shared/schemas/people';
import { PageState } from '../../../../components/page-state';
import { useRequest } from '../../../../hooks/use-request';
import { api } from '../../../../services/api';
import { isStaffGrant } from '../../../../utils/report';
import { Chips } from '../chips';
import './index.scss';

/** The communities a staff member answers for: their own, or each one under their street. */
async function staffCommunities(me: Me): Promise<NodeRef[]> {
  const found = new Map<string, NodeRef>();
  for (const grant of me.roles) {
    if (!isStaffGrant(grant)) continue;
    if (grant.node.kind === 'community') found.set(grant.node.id, grant.node);
    if (grant.node.kind === 'street') {
      for (const child of await api.children(grant.node.id)) {
        const ref = child.breadcrumb[child.breadcrumb.length - 1];
        if (ref?.kind === 'community') found.set(ref.id, ref);
      }
    }
  }
  return [...found.values()];
}

/**
 * Shows `children(communityId)` for one of the communities the user answers for, with a chooser when
 * there are several (street staff). Without any, says the page is for community staff.
 */
export function CommunityScope({ me, children }: { me: Me; children: (communityId: string) => ReactNode }) {
  const load = useCallback(() => staffCommunities(me), [me]);
  const communities = useRequest(load);
  const [chosen, setChosen] = useState<string>();
  const current = chosen ?? communities.data?.[0]?.id;

  const options = (communities.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  return (
    <PageState
      loading={communities.loading}
      error={communities.error}
      onRetry={communities.reload}
      empty={options.length === 0}
      emptyText="此页面供社区工作人员查看"
    >
      {options.length > 1 && (
        <View className="community-scope">
          <Chips options={options} value={current} onChange={setChosen} />
        </View>
      )}
      {current && children(current)}
    </PageState>
  );
}
