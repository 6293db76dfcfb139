import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { reportStateLabel } from '../../../../shared/reports';
import { ChoiceChips } from '../../../components/choice-chips';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { ReportCard } from '../../../components/report-card';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { reportApi, type ReportStateName } from '../../../services/api';
import './index.scss';

type Filter = ReportStateName | 'all';

const filters: { value: Filter; label: string }[] = [
  { value: 'all', label: '全部' },
  ...(['submitted', 'accepted', 'assigned', 'in_progress', 'resolved'] as const).map((state) => ({
    value: state,
    label: reportStateLabel[state],
  })),
];

/**
 * The reports I dispatch or handle, as the service orders them: overdue first (one escalated for a missed
 * deadline by that deadline), then the soonest deadline; overdue in red.
 */
function Inbox() {
  const [filter, setFilter] = useState<Filter>('all');
  const loadPage = useCallback(
    (cursor?: string) => reportApi.list('handling', { state: filter === 'all' ? undefined : filter, cursor }),
    [filter],
  );
  const list = usePagedList(loadPage);
  // Back from a report I just moved: it may have left this list or changed place.
  useRefreshOnShow(list.refresh);
  const overdue = list.items.filter((report) => report.overdue).length;

  return (
    <View className="report-handle">
      <View className="report-handle__filters">
        <ChoiceChips options={filters} value={filter} onChange={setFilter} />
      </View>
      <PageState
        {...listState(list)}
        emptyText={filter === 'all' ? '暂时没有待处理的随手拍' : `没有「${reportStateLabel[filter]}」的随手拍`}
      >
        {overdue > 0 && <Text className="report-handle__overdue">{overdue} 件已超期，请优先处理</Text>}
        <View className="report-handle__list">
          {list.items.map((report) => (
            <ReportCard key={report.id} report={report} forHandler />
          ))}
          <LoadMore list={list} />
        </View>
      </PageState>
    </View>
  );
}

export default function HandlePage() {
  return (
    <RequireLogin text="登录后处理辖区的随手拍">
      <Inbox />
    </RequireLogin>
  );
}
