import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback } from 'react';
import type { TimelineEntry } from '../../../../shared/schemas/platform';
import { CsvExport } from '../../../components/csv-export';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { Timeline } from '../../../components/timeline';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { platformApi } from '../../../services/api';
import { grantsFor } from '../../../utils/permissions';
import { actionLabel, label, stateLabel } from '../labels';
import './index.scss';

/** '编辑文字后发布 · 审核中 → 已发布': what happened and the state it led to. */
function entryTitle(entry: TimelineEntry): string {
  const state = (value: string | null) => (value ? label(stateLabel, value) : undefined);
  const from = state(entry.from);
  const to = state(entry.to);
  const change = from && to && from !== to ? `${from} → ${to}` : to;
  return [label(actionLabel, entry.action), change].filter(Boolean).join(' · ');
}

function NoticeTimeline({ noticeId, title }: { noticeId: string; title: string | undefined }) {
  const load = useCallback(() => platformApi.noticeTimeline(noticeId), [noticeId]);
  const { data, loading, error, reload } = useRequest(load);
  const { me } = useSession();
  const exports = grantsFor(me, 'timeline.export').length > 0;
  return (
    <PageState loading={loading} error={error} onRetry={reload} empty={data?.length === 0} emptyText="暂无记录">
      {data && (
        <View className="card">
          {title && <Text className="timeline-page__title">公告「{title}」</Text>}
          <Timeline entries={data} label={entryTitle} />
        </View>
      )}
      {exports && (
        <CsvExport load={() => platformApi.noticeTimelineCsv(noticeId)} filename={`timeline-notice-${noticeId}.csv`} />
      )}
    </PageState>
  );
}

/** A query value as sent; one a platform already decoded ("50%") is left as it is. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export default function TimelinePage() {
  const { params } = useRouter();
  return (
    <View className="timeline-page">
      <RequireLogin text="登录后查看公告的处理记录">
        <NoticeTimeline noticeId={params.notice ?? ''} title={params.title && decoded(params.title)} />
      </RequireLogin>
    </View>
  );
}
