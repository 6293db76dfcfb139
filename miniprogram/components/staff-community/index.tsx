import { View } from '@tarojs/components';
import { Fragment, useCallback, useState, type ReactNode } from 'react';
import type { Action } from '../../../shared/roles';
import type { NodeRef } from '../../../shared/schemas/people';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { communitiesOf } from '../../utils/communities';
import { grantsFor } from '../../utils/permissions';
import { ChoiceChips } from '../choice-chips';
import { PageState } from '../page-state';

/**
 * Shows `children(community)` for one of the communities the staff member holds `action` for (a street's asked of
 * the service), with a chooser in a `className` row when there are several. Without any, says `emptyText`. Another
 * community starts afresh: what `children` renders is keyed by the community; `initial` picks the first one shown.
 */
export function StaffCommunity({
  action,
  emptyText,
  className,
  initial,
  children,
}: {
  action: Action;
  /** The community to start on, when the user answers for it (a page opened on one, e.g. from a street's figures). */
  initial?: string;
  emptyText: string;
  className: string;
  children: (community: NodeRef) => ReactNode;
}) {
  const { me } = useSession();
  const load = useCallback(() => communitiesOf(grantsFor(me, action)), [me, action]);
  const communities = useRequest(load);
  const [chosen, setChosen] = useState(initial);
  const list = communities.data ?? [];
  const current = list.find((c) => c.id === chosen) ?? list[0];
  return (
    <PageState
      loading={communities.loading}
      error={communities.error}
      onRetry={communities.reload}
      empty={list.length === 0}
      emptyText={emptyText}
    >
      {list.length > 1 && (
        <View className={className}>
          <ChoiceChips
            options={list.map((c) => ({ value: c.id, label: c.name }))}
            value={current?.id}
            onChange={setChosen}
          />
        </View>
      )}
      {current && <Fragment key={current.id}>{children(current)}</Fragment>}
    </PageState>
  );
}
