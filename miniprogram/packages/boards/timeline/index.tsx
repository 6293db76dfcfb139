import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback } from 'react';
import { entryActionLabel, entryStateLabel, type EntryAction, type EntryState } from '../../../../shared/boards';
import type { TimelineEntry } from '../../../../shared/schemas/platform';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { Timeline } from '../../../components/timeline';
import { useRequest } from '../../../hooks/use-request';
import { boardsApi } from '../../../services/boards-api';
import { roleText } from '../../../utils/format';
import '../boards.scss';

/** Steps the state machine does not name. */
const otherSteps: Record<string, string> = {
  nominate: '提名',
  consent: '同意显示姓名',
  revoke_consent: '撤回姓名授权',
  redact_photo: '遮挡照片中的人脸车牌',
  clear_photo: '确认照片不含人脸车牌',
  freeze: '封榜',
};
/** The part the actor played on the entry (shared/boards.ts entryParties). */
const partyLabel: Record<string, string> = {
  nominator: '提名人',
  household: '住户',
  staff: '社区工作人员',
  subject: '本人',
  system: '',
};

/** '核实属实 · 待核实 → 待住户回应': what happened and the state it led to. */
export function stepTitle(entry: TimelineEntry): string {
  const words = entryActionLabel[entry.action as EntryAction] ?? otherSteps[entry.action] ?? entry.action;
  const state = (value: string | null) => (value ? (entryStateLabel[value as EntryState] ?? value) : undefined);
  const from = state(entry.from);
  const to = state(entry.to);
  const change = from && to && from !== to ? `${from} → ${to}` : to;
  return [words, change].filter(Boolean).join(' · ');
}

function EntryTimeline({ id }: { id: string }) {
  const load = useCallback(() => Promise.all([boardsApi.timeline(id), boardsApi.get(id)]), [id]);
  const { data, loading, error, reload } = useRequest(load);
  const [entries, entry] = data ?? [];
  return (
    <View className="board-page">
      <PageState loading={loading} error={error} onRetry={reload} empty={entries?.length === 0} emptyText="暂无记录">
        {entries && entry && (
          <View className="card board-card">
            <Text className="board-card__title">{entry.act.label}</Text>
            <Timeline
              entries={entries}
              label={stepTitle}
              role={(role) => partyLabel[role] ?? roleText(role)}
              media={[...entry.media, ...(entry.rectification?.media ?? [])]}
            />
          </View>
        )}
      </PageState>
    </View>
  );
}

export default function BoardTimelinePage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看处理记录">
      <EntryTimeline id={params.id ?? ''} />
    </RequireLogin>
  );
}
