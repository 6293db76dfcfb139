import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { AtRate } from 'taro-ui';
import { useCallback, type ReactNode } from 'react';
import { responseLevelLabel } from '../../../../shared/reports';
import type { TimelineEntry } from '../../../../shared/schemas/platform';
import type { ReportView } from '../../../../shared/schemas/reports';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { StateTag } from '../../../components/report-card';
import { Timeline } from '../../../components/timeline';
import { useRequest, type RequestState } from '../../../hooks/use-request';
import { reportApi } from '../../../services/api';
import { formatDateTime, placePath } from '../../../utils/format';
import {
  currentDeadline,
  remainingText,
  reportActorText,
  reporterText,
  reportRoutes,
  reportStepLabel,
} from '../../../utils/report';
import { openPage } from '../../../utils/routes';
import { toastSuccess } from '../../../utils/toast';
import { Photos } from '../components/photos';
import { ActionPanel } from './action-panel';
import { ReporterContactRow } from './reporter-contact';
import './index.scss';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View className="report-detail__row">
      <Text className="report-detail__row-label">{label}</Text>
      <Text className="report-detail__row-value">{children}</Text>
    </View>
  );
}

function Summary({ report }: { report: ReportView }) {
  const deadline = currentDeadline(report);
  return (
    <View className="card report-detail__summary">
      <View className="report-detail__head">
        <Text className="report-detail__category">{report.category.name}</Text>
        <StateTag state={report.state} />
        {report.overdue && <Text className="report-detail__overdue">已超期</Text>}
        <Text className="report-detail__level">{responseLevelLabel[report.level]}响应</Text>
      </View>
      {report.private && <Text className="report-detail__private">仅处理人员可见</Text>}
      {report.moderation !== 'visible' && (
        <Text className="report-detail__review">内容审核中：通过前仅您和处理人员可见</Text>
      )}
      <Text className="report-detail__text">{report.description}</Text>
      <Photos media={report.media} size="large" />
      <View className="report-detail__rows">
        <Row label="地点">{placePath(report.place)}</Row>
        <Row label="报告人">{reporterText(report)}</Row>
        {report.canContactReporter && <ReporterContactRow reportId={report.id} />}
        <Row label="提交时间">{formatDateTime(report.createdAt)}</Row>
        {deadline && (
          <Row label={deadline.kind === 'accept' ? '受理时限' : '办结时限'}>
            {formatDateTime(deadline.at)}（{remainingText(deadline.at)}）
          </Row>
        )}
        {report.assignee && <Row label="处理人">{report.assignee.displayName}</Row>}
        {report.followerCount > 0 && <Row label="也遇到">{report.followerCount} 位邻居</Row>}
        {report.reopenCount > 0 && <Row label="重新处理">{report.reopenCount} 次</Row>}
      </View>
    </View>
  );
}

function Outcome({ report }: { report: ReportView }) {
  return (
    <>
      {report.rejection && (
        <View className="card report-detail__outcome">
          <Text className="report-detail__section">
            不予受理 · {report.rejection.kind === 'duplicate' ? '重复报事' : '无效报事'}
          </Text>
          <Text className="report-detail__text">{report.rejection.note}</Text>
          {report.rejection.duplicateOf && (
            <Text
              className="report-detail__link"
              onClick={() => openPage(reportRoutes.detail(report.rejection!.duplicateOf!))}
            >
              查看重复的原报事 ›
            </Text>
          )}
        </View>
      )}
      {report.resolution && (
        <View className="card report-detail__outcome">
          <Text className="report-detail__section">处理结果</Text>
          <Text className="report-detail__text">{report.resolution.note}</Text>
          <Photos media={report.resolution.media} />
        </View>
      )}
      {(report.rating || report.autoClosed) && (
        <View className="card report-detail__outcome">
          <Text className="report-detail__section">评价</Text>
          {report.rating ? (
            <>
              <View className="report-detail__rating" aria-label={`${report.rating.score} 星`}>
                <AtRate value={report.rating.score} size={20} />
                <Text className="report-detail__score">{report.rating.score} 星</Text>
              </View>
              {report.rating.comment && <Text className="report-detail__text">{report.rating.comment}</Text>}
            </>
          ) : (
            <Text className="report-detail__text">7 天未确认，系统已自动办结</Text>
          )}
        </View>
      )}
    </>
  );
}

function Progress({ report, timeline }: { report: ReportView; timeline: RequestState<TimelineEntry[]> }) {
  return (
    <View className="card">
      <Text className="report-detail__section">处理进度</Text>
      <PageState
        loading={timeline.loading && !timeline.data}
        error={timeline.data ? undefined : timeline.error}
        onRetry={timeline.reload}
        empty={timeline.data?.length === 0}
        emptyText="暂无记录"
      >
        <Timeline
          entries={timeline.data ?? []}
          label={reportStepLabel}
          role={reportActorText}
          media={[...report.media, ...(report.resolution?.media ?? [])]}
        />
      </PageState>
    </View>
  );
}

function Detail({ id }: { id: string }) {
  const loadReport = useCallback(() => reportApi.get(id), [id]);
  const loadTimeline = useCallback(() => reportApi.timeline(id), [id]);
  const { data: report, loading, error, reload, refresh, update } = useRequest(loadReport);
  const timeline = useRequest(loadTimeline);
  const refreshTimeline = timeline.refresh;

  const moved = useCallback(
    (updated: ReportView, done: string) => {
      update(() => updated);
      void refreshTimeline();
      toastSuccess(done);
    },
    [update, refreshTimeline],
  );
  // Someone else moved it first: show it as it is now.
  const stale = useCallback(async () => {
    await Promise.all([refresh(), refreshTimeline()]);
  }, [refresh, refreshTimeline]);

  return (
    <PageState loading={loading && !report} error={report ? undefined : error} onRetry={reload}>
      {report && (
        <View className="report-detail">
          <Summary report={report} />
          <Outcome report={report} />
          {/* A new state starts the panel afresh: no form open, no typed text or photos from the last move. */}
          <ActionPanel key={report.state} report={report} onMoved={moved} onStale={stale} />
          <Progress report={report} timeline={timeline} />
        </View>
      )}
    </PageState>
  );
}

export default function ReportDetailPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看随手拍的处理进度">
      <Detail id={params.id ?? ''} />
    </RequireLogin>
  );
}
