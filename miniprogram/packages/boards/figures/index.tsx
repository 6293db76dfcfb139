import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { boardMonth, previousMonth } from '../../../../shared/boards';
import type { NodeRef } from '../../../../shared/schemas/people';
import { Bars } from '../../../components/bars';
import { ChoiceChips } from '../../../components/choice-chips';
import { CsvExport } from '../../../components/csv-export';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { boardsApi } from '../../../services/boards-api';
import { StaffCommunity } from '../components/community';
import { monthText } from '../components/entry-card';
import '../boards.scss';

function monthChoices(now = new Date()) {
  const current = boardMonth(now);
  const last = previousMonth(current);
  const before = previousMonth(last);
  return [
    { value: current, label: '本月' },
    { value: last, label: '上月' },
    { value: before, label: monthText(before) },
  ];
}

/** The month's figures: entries by act and colour, rectified before publication, dismissed, appeals; CSV exports. */
function Figures({ community }: { community: NodeRef }) {
  const [months] = useState(monthChoices);
  const [month, setMonth] = useState(months[0]!.value);
  const load = useCallback(() => boardsApi.figures(community.id, month), [community.id, month]);
  const { data, loading, error, reload } = useRequest(load);
  const totals =
    data &&
    ([
      ['整改未上榜', data.rectified],
      ['不予采纳', data.dismissed],
      ['申诉', data.appeals.lodged],
      ['申诉成立', data.appeals.upheld],
      ['申诉驳回', data.appeals.rejected],
      ['待复核', data.appeals.open],
    ] as const);
  return (
    <View className="board-page">
      <ChoiceChips options={months} value={month} onChange={setMonth} />
      <PageState loading={loading} error={error} onRetry={reload}>
        {data && totals && (
          <View className="board-page">
            <View className="card board-figures">
              {totals.map(([label, value]) => (
                <View key={label}>
                  <Text className="board-figures__value">{value}</Text>
                  <Text className="board-figures__label">{label}</Text>
                </View>
              ))}
            </View>
            {(['red', 'black'] as const).map((colour) => {
              const acts = data.byAct.filter((a) => a.colour === colour);
              return (
                <View key={colour} className="card board-card">
                  <Text className="board-card__title">{colour === 'red' ? '红榜' : '黑榜'}：按行为（提名 / 上榜）</Text>
                  {acts.length === 0 && <Text className="board-card__note">本月没有条目</Text>}
                  <Bars bars={acts.map((a) => ({ key: `${a.act}-n`, label: `${a.label} 提名`, value: a.nominated }))} />
                  <Bars
                    tone="blue"
                    bars={acts.map((a) => ({ key: `${a.act}-p`, label: `${a.label} 上榜`, value: a.published }))}
                  />
                </View>
              );
            })}
            <CsvExport load={() => boardsApi.figuresCsv(community.id, month)} filename={`board-figures-${month}.csv`} />
            <Text className="board-card__note">文明家庭 / 最美邻里推选：按本月住户积分和楼栋排名整理的候选名单</Text>
            <CsvExport
              label="导出推选名单"
              load={() => boardsApi.selectionsCsv(community.id, month)}
              filename={`board-selections-${month}.csv`}
            />
          </View>
        )}
      </PageState>
    </View>
  );
}

export default function BoardFiguresPage() {
  return (
    <RequireLogin text="登录后查看红黑榜数据">
      <StaffCommunity>{(community) => <Figures community={community} />}</StaffCommunity>
    </RequireLogin>
  );
}
