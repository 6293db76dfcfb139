import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { TopicView } from '../../../../shared/schemas/deliberation';
import type { TimelineEntry } from '../../../../shared/schemas/platform';
import { topicKindLabel } from '../../../../shared/votes';
import { FlagAction, FlagSheet, useFlags } from '../../../components/flag-sheet';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { PhotoGrid } from '../../../components/photo-grid';
import { Timeline } from '../../../components/timeline';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { deliberationApi } from '../../../services/deliberation-api';
import { formatTime, placePath } from '../../../utils/format';
import { CycleSteps, StageBadge } from '../components';
import { Discussion } from './discussion';
import { BallotSection, Cosign, Implementation, Stages } from './sections';
import '../deliberation.scss';

/** How each step of a topic's history reads on its timeline. */
const STEP_LABELS: Record<string, string> = {
  propose: '发起议题',
  cosigned: '附议达到门槛',
  adopt: '采纳为议题',
  lapse: '未获足够附议',
  stage: '四议两公开',
  summary: '发布讨论总结',
  'close-discussion': '结束讨论',
  'pin-comment': '置顶评论',
  'unpin-comment': '取消置顶',
  'fold-comment': '折叠评论',
  'open-ballot': '开始投票',
  'proxy-ballot': '楼长代投',
  'proxy-overruled': '住户自行改投',
  'close-ballot': '投票截止，决议公开',
  implement: '确定负责人',
  progress: '实施进展',
  done: '实施完成',
  'publish-result': '实施结果公开',
};
const stepLabel = (entry: TimelineEntry) => STEP_LABELS[entry.action] ?? entry.action;

function Topic({ id }: { id: string }) {
  const load = useCallback(() => deliberationApi.get(id), [id]);
  const topic = useRequest(load);
  const loadTimeline = useCallback(() => deliberationApi.timeline(id), [id]);
  const timeline = useRequest(loadTimeline);
  // Back from voting: my ballot and the turnout are new.
  useRefreshOnShow(topic.refresh);
  const { refresh: refreshTimeline } = timeline;
  const onTopic = topic.update;
  const changed = useCallback(
    (next: TopicView) => {
      onTopic(() => next);
      void refreshTimeline();
    },
    [onTopic, refreshTimeline],
  );
  // The flag that hid the topic: it waits for staff, hidden from everyone, so the page lets it go at once.
  const [hidden, setHidden] = useState(false);
  const hide = useCallback(() => setHidden(true), []);
  const flags = useFlags(hide);
  const t = topic.data;
  return (
    <PageState
      loading={topic.loading && !t}
      error={t ? undefined : topic.error}
      onRetry={topic.reload}
      empty={hidden}
      emptyText="议题已提交审核，暂不显示"
    >
      {t && (
        <View className="delib-page">
          <View className="delib-card">
            <View className="delib-card__head">
              <StageBadge status={t.status} />
              <Text className="delib-card__kind">{topicKindLabel[t.kind]}</Text>
            </View>
            <Text className="delib-card__title">{t.title}</Text>
            <Text className="delib-card__place">
              {placePath(t.node)} · {t.author.displayName} · {formatTime(t.createdAt)}
              {t.moderation !== 'visible' ? ' · 审核中' : ''}
            </Text>
            <Text className="delib-card__text">{t.text}</Text>
            {t.media.length > 0 && (
              <PhotoGrid media={t.media} className="delib-card__actions" photoClassName="delib-photo" />
            )}
            <CycleSteps status={t.status} />
            {!t.author.isMe && t.moderation === 'visible' && (
              <FlagAction
                className="delib-flag"
                flagged={flags.isFlagged(t.id)}
                onFlag={() => flags.open({ kind: 'topic', id: t.id, subject: t.title })}
              />
            )}
          </View>
          {t.status === 'proposed' && <Cosign topic={t} onTopic={changed} />}
          <BallotSection topic={t} onTopic={changed} />
          <Implementation topic={t} onTopic={changed} />
          {t.status !== 'proposed' && t.status !== 'lapsed' && <Stages topic={t} onTopic={changed} />}
          <Discussion topic={t} onTopic={changed} />
          {timeline.data && (
            <View className="delib-card">
              <Text className="delib-card__title">全过程记录</Text>
              <Timeline entries={timeline.data} label={stepLabel} />
            </View>
          )}
          <FlagSheet flags={flags} />
        </View>
      )}
    </PageState>
  );
}

export default function TopicPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看议题">
      <Topic id={params.id ?? ''} />
    </RequireLogin>
  );
}
