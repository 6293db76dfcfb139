import { Image, Text, View } from '@tarojs/components';
import { AtIcon } from 'taro-ui';
import { memo } from 'react';
import { reportStateLabel, responseLevelLabel } from '../../../shared/reports';
import type { ReportView } from '../../../shared/schemas/reports';
import { mediaUrl } from '../../services/api';
import { formatTime } from '../../utils/format';
import { currentDeadline, deadlineText, reportRoutes, stateTone } from '../../utils/report';
import { openPage } from '../../utils/routes';
import './index.scss';

/** A report's state as a coloured tag (待受理, 处理中, 已办结…). */
export function StateTag({ state }: { state: ReportView['state'] }) {
  return <Text className={`report-state report-state--${stateTone[state]}`}>{reportStateLabel[state]}</Text>;
}

/**
 * A report in a list: its photo, category and state, the text, where and when. For handlers (`forHandler`)
 * also the deadline that runs and the response level; an overdue report is marked in red. Tap to open it.
 */
export const ReportCard = memo(function ReportCard({
  report,
  forHandler = false,
}: {
  report: ReportView;
  forHandler?: boolean;
}) {
  const thumb = report.media.find((m) => m.thumbUrl)?.thumbUrl;
  const deadline = forHandler ? currentDeadline(report) : null;
  return (
    <View
      className={`report-card${report.overdue ? ' report-card--overdue' : ''}`}
      onClick={() => openPage(reportRoutes.detail(report.id))}
    >
      {thumb ? (
        <Image className="report-card__thumb" mode="aspectFill" src={mediaUrl(thumb)} />
      ) : (
        <View className="report-card__thumb report-card__thumb--icon">
          <AtIcon value={report.category.icon} size="28" color="#c8161d" />
        </View>
      )}
      <View className="report-card__body">
        <View className="report-card__head">
          <Text className="report-card__category">{report.category.name}</Text>
          <StateTag state={report.state} />
          {report.overdue && <Text className="report-card__overdue">已超期</Text>}
        </View>
        <Text className="report-card__text">{report.description}</Text>
        <View className="report-card__meta">
          <Text className="report-card__place">{report.place.path.slice(1).join(' ')}</Text>
          <Text>{formatTime(report.createdAt)}</Text>
        </View>
        {deadline && (
          <View className="report-card__meta">
            <Text className={report.overdue ? 'report-card__late' : 'report-card__due'}>{deadlineText(deadline)}</Text>
            <Text>{responseLevelLabel[report.level]}响应</Text>
          </View>
        )}
        {!forHandler && report.followerCount > 0 && (
          <Text className="report-card__followers">{report.followerCount} 位邻居也遇到</Text>
        )}
      </View>
    </View>
  );
});
