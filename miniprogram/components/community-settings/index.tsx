import type { ReactNode } from 'react';
import { useCallback } from 'react';
import type { NodeRef } from '../../../shared/schemas/people';
import { useRequest } from '../../hooks/use-request';
import { PageState } from '../page-state';

/**
 * A community's settings for a staff page: `load(communityId)` (a stable function) with loading and error states,
 * then `children(settings)` — the form, which starts from what the service holds.
 */
export function CommunitySettings<T>({
  community,
  load,
  children,
}: {
  community: NodeRef;
  load: (communityId: string) => Promise<T>;
  children: (settings: T) => ReactNode;
}) {
  const loadHere = useCallback(() => load(community.id), [load, community.id]);
  const settings = useRequest(loadHere);
  return (
    <PageState loading={settings.loading} error={settings.error} onRetry={settings.reload}>
      {settings.data && children(settings.data)}
    </PageState>
  );
}
