import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import type { CommunityFigures } from '../../../shared/schemas/manage';
import type { NodeRef } from '../../../shared/schemas/people';
import { Bars } from '../../components/bars';
import { ChoiceChips } from '../../components/choice-chips';
import { PageState } from '../../components/page-state';
import { useRequest } from '../../hooks/use-request';
import { manageRoutes } from '../../packages/manage/routes';
import { periodRange, periods, type Period } from '../../packages/report/figures/period';
import { manageApi } from '../../services/manage-api';
import { openPage } from '../../utils/routes';

type Metric = 'total' | 'responseRate' | 'onTimeResolutionRate' | 'satisfaction' | 'overdue';
const metrics: { value: Metric; label: string }[] = [
  { value: 'total', label: '报事量' },
  { value: 'responseRate', label: '响应率' },
  { value: 'onTimeResolutionRate', label: '按时办结率' },
  { value: 'satisfaction', label: '满意度' },
  { value: 'overdue', label: '当前超期' },
];
const isRate = (metric: Metric) => metric !== 'total' && metric !== 'overdue';
/** A rate as a whole percentage; '—' while nothing counts towards it. */
const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);
const cell = (row: CommunityFigures, metric: Metric) =>
  isRate(metric) ? percent(row[metric] as number | null) : String(row[metric]);

function Comparison({ street }: { street: NodeRef }) {
  const [period, setPeriod] = useState<Period>('this-month');
  const [metric, setMetric] = useState<Metric>('responseRate');
  const load = useCallback(() => manageApi.streetFigures(street.id, periodRange(period)), [street.id, period]);
  const { data, loading, error, reload } = useRequest(load);
  const rows = data?.communities ?? [];
  return (
    <View className="home__street">
      <Text className="home__section-title">{street.name} · 各社区对比</Text>
      <ChoiceChips options={periods} value={period} onChange={setPeriod} />
      <PageState
        loading={loading}
        error={error}
        onRetry={reload}
        empty={rows.length === 0}
        emptyText="街道下还没有社区"
      >
        <View className="home__table">
          <View className="home__table-row home__table-head">
            <Text>社区</Text>
            {metrics.map((m) => (
              <Text key={m.value}>{m.label}</Text>
            ))}
          </View>
          {rows.map((row) => (
            <View
              key={row.community.id}
              className="home__table-row"

              onClick={() => openPage(manageRoutes.index(row.community.id))}
            >
              <Text className="home__table-name">{row.community.name} ›</Text>
              {metrics.map((m) => (
                <Text key={m.value}>{cell(row, m.value)}</Text>
              ))}
            </View>
          ))}
        </View>
        <ChoiceChips options={metrics} value={metric} onChange={setMetric} />
        <Bars
          tone={isRate(metric) ? 'blue' : 'red'}
          bars={rows.map((row) => ({
            key: row.community.id,
            label: row.community.name,
            // Rates as whole percentages, so the bars and the table say the same.
            value: isRate(metric) ? Math.round(((row[metric] as number | null) ?? 0) * 100) : (row[metric] as number),
          }))}
        />
      </PageState>
    </View>
  );
}

/** For street staff and the admin: the street's communities side by side for a period; a tap opens one's 管理. */
export function StreetFigures({ streets }: { streets: NodeRef[] }) {
  return (
    <>
      {streets.map((street) => (
        <Comparison key={street.id} street={street} />
      ))}
    </>
  );
}
