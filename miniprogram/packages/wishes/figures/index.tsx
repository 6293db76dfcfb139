import { Text, View } from '@tarojs/components';
import dayjs from 'dayjs';
import { useCallback, useState } from 'react';
import type { NodeRef } from '../../../../shared/schemas/people';
import { claimantTypeLabel, wishKindLabel } from '../../../../shared/wishes';
import { Bars } from '../../../components/bars';
import { ChoiceChips } from '../../../components/choice-chips';
import { CsvExport } from '../../../components/csv-export';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { wishesApi } from '../../../services/wishes-api';
import { StaffCommunity } from '../components/community';
import '../wishes.scss';

const months = [0, 1, 2].map((back) => {
  const month = dayjs().subtract(back, 'month').format('YYYY-MM');
  return { value: month, label: back === 0 ? '本月' : back === 1 ? '上月' : month };
});

const totalLabels = [
  ['posted', '提交'],
  ['published', '发布'],
  ['claimed', '认领'],
  ['fulfilled', '实现'],
  ['confirmed', '确认'],
] as const;

/** The month's figures: counts, the median days to fulfil, by kind and by claimant, the roll of honour; CSV. */
function Figures({ community }: { community: NodeRef }) {
  const [month, setMonth] = useState(months[0]!.value);
  const load = useCallback(() => wishesApi.figures(community.id, month), [community.id, month]);
  const { data, loading, error, reload } = useRequest(load);
  return (
    <View className="wish-page">
      <ChoiceChips options={months} value={month} onChange={setMonth} />
      <PageState loading={loading} error={error} onRetry={reload}>
        {data && (
          <View className="wish-stack">
            <View className="card wish-figures">
              {totalLabels.map(([key, label]) => (
                <View key={key}>
                  <Text className="wish-figures__value">{data.totals[key]}</Text>
                  <Text className="wish-figures__label">{label}</Text>
                </View>
              ))}
              <View>
                <Text className="wish-figures__value">
                  {data.medianDaysToFulfil === null ? '—' : Math.round(data.medianDaysToFulfil * 10) / 10}
                </Text>
                <Text className="wish-figures__label">发布到实现（中位天数）</Text>
              </View>
            </View>
            <View className="card wish-card">
              <Text className="wish-card__title">按心愿类别（提交 / 实现）</Text>
              <Bars
                bars={data.byKind.map((k) => ({
                  key: `${k.kind}-posted`,
                  label: `${wishKindLabel[k.kind]} 提交`,
                  value: k.posted,
                }))}
              />
              <Bars
                tone="blue"
                bars={data.byKind.map((k) => ({
                  key: `${k.kind}-fulfilled`,
                  label: `${wishKindLabel[k.kind]} 实现`,
                  value: k.fulfilled,
                }))}
              />
            </View>
            <View className="card wish-card">
              <Text className="wish-card__title">按认领方（认领 / 实现）</Text>
              <Bars
                bars={data.byClaimantType.map((c) => ({
                  key: `${c.type}-claimed`,
                  label: `${claimantTypeLabel[c.type]} 认领`,
                  value: c.claimed,
                }))}
              />
              <Bars
                tone="blue"
                bars={data.byClaimantType.map((c) => ({
                  key: `${c.type}-fulfilled`,
                  label: `${claimantTypeLabel[c.type]} 实现`,
                  value: c.fulfilled,
                }))}
              />
            </View>
            <View className="card wish-card">
              <Text className="wish-card__title">光荣榜</Text>
              {data.honour.length === 0 && <Text className="wish-card__note">本月还没有实现的心愿</Text>}
              {data.honour.map((h, i) => (
                <View key={`${h.name}-${i}`} className="wish-row">
                  <Text>
                    {i + 1}. {h.name}（{claimantTypeLabel[h.type]}）
                  </Text>
                  <Text>实现 {h.fulfilled} 个</Text>
                </View>
              ))}
            </View>
            <CsvExport load={() => wishesApi.figuresCsv(community.id, month)} filename={`wish-figures-${month}.csv`} />
          </View>
        )}
      </PageState>
    </View>
  );
}

export default function WishFiguresPage() {
  return (
    <RequireLogin text="登录后查看微心愿数据">
      <StaffCommunity>{(community) => <Figures community={community} />}</StaffCommunity>
    </RequireLogin>
  );
}
