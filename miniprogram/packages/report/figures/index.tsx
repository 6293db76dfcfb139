import { Text, View } from '@tarojs/components';
import dayjs from 'dayjs';
import { useCallback, useState } from 'react';
import { reportStateLabel, type ReportState } from '../../../../shared/reports';
import type { Figures } from '../../../../shared/schemas/reports';
import { Bars } from '../../../components/bars';
import { ChoiceChips } from '../../../components/choice-chips';
import { CsvExport } from '../../../components/csv-export';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { reportApi } from '../../../services/api';
import { formatDateTime, formatTime } from '../../../utils/format';
import { reportRoutes, spanText } from '../../../utils/report';
import { openPage } from '../../../utils/routes';
import { CommunityScope, type FiguresScope } from '../components/community-scope';
import { RateTile } from './bars';
import { periodRange, periods, type Period } from './period';
import './index.scss';

const stateOrder = Object.keys(reportStateLabel) as ReportState[];

function durationText({ count, meanMinutes, p90Minutes }: Figures['timeToAccept']): string {
  if (count === 0 || meanMinutes === null || p90Minutes === null) return '暂无数据';
  return `平均 ${spanText(meanMinutes)} · 90% 在 ${spanText(p90Minutes)} 内（${count} 件）`;
}

function FiguresView({ figures }: { figures: Figures }) {
  const { responseRate, onTimeResolutionRate, satisfaction, reopenRate } = figures;
  const categoryName = (code: string) => figures.byCategory.find((c) => c.category === code)?.name ?? code;
  return (
    <View className="figures">
      <View className="card figures__overview">
        <View className="figures__stat">
          <Text className="figures__stat-value">{figures.total}</Text>
          <Text className="figures__stat-label">报事总数</Text>
        </View>
        <View className="figures__stat">
          <Text className={`figures__stat-value${figures.overdue.length > 0 ? ' figures__stat-value--late' : ''}`}>
            {figures.overdue.length}
          </Text>
          <Text className="figures__stat-label">当前超期</Text>
        </View>
        <View className="figures__stat">
          <Text className="figures__stat-value">{satisfaction.mean === null ? '—' : satisfaction.mean.toFixed(1)}</Text>
          <Text className="figures__stat-label">平均评分</Text>
        </View>
      </View>

      <View className="figures__rates">
        <RateTile
          title="响应率"
          rate={responseRate.rate}
          detail={`${responseRate.numerator}/${responseRate.denominator} 件按时受理或答复`}
        />
        <RateTile
          title="按时办结率"
          rate={onTimeResolutionRate.rate}
          detail={`${onTimeResolutionRate.numerator}/${onTimeResolutionRate.denominator} 件在时限内办结`}
        />
        <RateTile
          title="满意率"
          rate={satisfaction.shareAtLeast4}
          detail={`${satisfaction.rated} 条评价中 4 星及以上`}
        />
        <RateTile
          title="重开率"
          rate={reopenRate.rate}
          detail={`${reopenRate.numerator}/${reopenRate.denominator} 件办结后被退回`}
        />
      </View>

      <View className="card figures__section">
        <Text className="figures__title">处理用时</Text>
        <View className="figures__duration">
          <Text className="figures__duration-label">受理</Text>
          <Text>{durationText(figures.timeToAccept)}</Text>
        </View>
        <View className="figures__duration">
          <Text className="figures__duration-label">办结</Text>
          <Text>{durationText(figures.timeToResolve)}</Text>
        </View>
      </View>

      <View className="card figures__section">
        <Text className="figures__title">按分类</Text>
        <Bars
          bars={[...figures.byCategory]
            .sort((a, b) => b.total - a.total)
            .map((c) => ({ key: c.category, label: c.name, value: c.total }))}
        />
      </View>

      <View className="card figures__section">
        <Text className="figures__title">按状态</Text>
        <Bars
          tone="blue"
          bars={stateOrder
            .filter((state) => (figures.byState[state] ?? 0) > 0)
            .map((state) => ({ key: state, label: reportStateLabel[state], value: figures.byState[state]! }))}
        />
      </View>

      {figures.overdue.length > 0 && (
        <View className="card figures__section">
          <Text className="figures__title">超期事项</Text>
          {figures.overdue.map((item) => (
            <View
              key={`${item.id}-${item.kind}`}
              className="figures__overdue"
              onClick={() => openPage(reportRoutes.detail(item.id))}
            >
              <Text>
                {categoryName(item.category)} · {item.kind === 'accept' ? '受理' : '办结'}超期 ·{' '}
                {reportStateLabel[item.state]}
              </Text>
              <Text className="figures__overdue-time">时限 {formatDateTime(item.deadline)}</Text>
            </View>
          ))}
        </View>
      )}
      <Text className="figures__computed">{`统计于 ${formatTime(figures.computedAt)} · 每分钟更新`}</Text>
    </View>
  );
}

function CommunityFigures({ scope, period }: { scope: FiguresScope; period: Period }) {
  const { communityId, gridId } = scope;
  const load = useCallback(
    () => reportApi.figures({ communityId, gridId, ...periodRange(period) }),
    [communityId, gridId, period],
  );
  const { data, loading, error, reload } = useRequest(load);
  return (
    <PageState
      loading={loading}
      error={error}
      onRetry={reload}
      empty={data?.total === 0}
      emptyText="这段时间没有随手拍"
    >
      {data && (
        <>
          <FiguresView figures={data} />
          <CsvExport
            label="导出统计 CSV"
            // The range these figures are for, so the export is the same figures.
            load={() => reportApi.figuresCsv({ communityId, gridId, from: data.from, to: data.to })}
            filename={`report-figures-${dayjs(data.from).format('YYYY-MM-DD')}.csv`}
          />
        </>
      )}
    </PageState>
  );
}

function FiguresPage() {
  const { me } = useSession();
  const [period, setPeriod] = useState<Period>('this-month');
  if (!me) return null;
  return (
    <View>
      <View className="figures__periods">
        <ChoiceChips options={periods} value={period} onChange={setPeriod} />
      </View>
      <CommunityScope me={me}>
        {(scope) => <CommunityFigures key={`${scope.key}-${period}`} scope={scope} period={period} />}
      </CommunityScope>
    </View>
  );
}

export default function ReportFiguresPage() {
  return (
    <RequireLogin text="登录后查看随手拍数据统计">
      <FiguresPage />
    </RequireLogin>
  );
}
