import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback } from 'react';
import type { TimelineEntry } from '../../../../shared/schemas/platform';
import { wishActionLabel, wishStateLabel, type WishAction, type WishState } from '../../../../shared/wishes';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { Timeline } from '../../../components/timeline';
import { useRequest } from '../../../hooks/use-request';
import { wishesApi } from '../../../services/wishes-api';
import { roleText } from '../../../utils/format';
import '../wishes.scss';

/** Steps the state machine does not name. */
const otherSteps: Record<string, string> = { post: '提交心愿', post_on_behalf: '代录心愿' };
/** The part the actor played on the wish (shared/wishes.ts wishParties). */
const partyLabel: Record<string, string> = {
  owner: '许愿人',
  claimant: '认领人',
  staff: '社区工作人员',
  eligible: '认领人',
  system: '',
};

/** '认领 · 待认领 → 已认领': what happened and the state it led to. */
export function stepTitle(entry: TimelineEntry): string {
  const words = wishActionLabel[entry.action as WishAction] ?? otherSteps[entry.action] ?? entry.action;
  const state = (value: string | null) => (value ? (wishStateLabel[value as WishState] ?? value) : undefined);
  const from = state(entry.from);
  const to = state(entry.to);
  const change = from && to && from !== to ? `${from} → ${to}` : to;
  return [words, change].filter(Boolean).join(' · ');
}

function WishTimeline({ id }: { id: string }) {
  // The wish too: its photos and the fulfilment's show beside the steps that name them.
  const load = useCallback(() => Promise.all([wishesApi.timeline(id), wishesApi.get(id)]), [id]);
  const { data, loading, error, reload } = useRequest(load);
  const [entries, wish] = data ?? [];
  return (
    <View className="wish-page">
      <PageState loading={loading} error={error} onRetry={reload} empty={entries?.length === 0} emptyText="暂无记录">
        {entries && wish && (
          <View className="card wish-card">
            <Text className="wish-card__title">{wish.text}</Text>
            <Timeline
              entries={entries}
              label={stepTitle}
              role={(role) => partyLabel[role] ?? roleText(role)}
              media={[...wish.media, ...(wish.fulfilment?.media ?? [])]}
            />
          </View>
        )}
      </PageState>
    </View>
  );
}

export default function WishTimelinePage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看心愿的处理记录">
      <WishTimeline id={params.id ?? ''} />
    </RequireLogin>
  );
}
