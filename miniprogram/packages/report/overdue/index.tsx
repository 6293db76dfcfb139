import { Text, View } from '@tarojs/components';
import { memo, useCallback } from 'react';
import { responseLevelLabel } from '../../../../shared/reports';
import type { OverdueEntryView } from '../../../../shared/schemas/reports';
import { CsvExport } from '../../../components/csv-export';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { StateTag } from '../../../components/report-card';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { reportApi } from '../../../services/api';
import { formatDateTime, formatTime } from '../../../utils/format';
import { reportRoutes } from '../../../utils/report';
import { openPage } from '../../../utils/routes';
import { CommunityScope, type FiguresScope } from '../components/community-scope';
import './index.scss';

const LedgerRow = memo(function LedgerRow({ entry, categoryName }: { entry: OverdueEntryView; categoryName: string }) {
  return (
    <View className="ledger-row" onClick={() => openPage(reportRoutes.detail(entry.reportId))}>
      <View className="ledger-row__head">
        <Text className="ledger-row__category">{categoryName}</Text>
        <Text className="ledger-row__kind">{entry.kind === 'accept' ? '受理超期' : '办结超期'}</Text>
        <StateTag state={entry.state} />
      </View>
      <Text className="ledger-row__line">时限 {formatDateTime(entry.deadline)}</Text>
      <Text className="ledger-row__line">
        {formatTime(entry.detectedAt)} 升级：{responseLevelLabel[entry.fromLevel]} → {responseLevelLabel[entry.toLevel]}
      </Text>
    </View>
  );
});

/** 办结时限台账: every missed deadline of the community and where it escalated to, newest first. */
function Ledger({ scope }: { scope: FiguresScope }) {
  const { communityId, gridId } = scope;
  const loadPage = useCallback(
    (cursor?: string) => reportApi.overdueLedger({ communityId, gridId }, cursor),
    [communityId, gridId],
  );
  const list = usePagedList(loadPage);
  const loadCategories = useCallback(() => reportApi.categories(communityId), [communityId]);
  const categories = useRequest(loadCategories);
  const nameOf = (code: string) => categories.data?.find((c) => c.code === code)?.name ?? code;

  return (
    <PageState {...listState(list)} emptyText="没有超期记录，各项报事均在时限内">
      <View className="ledger">
        {list.items.map((entry) => (
          <LedgerRow
            key={`${entry.reportId}-${entry.kind}-${entry.detectedAt}`}
            entry={entry}
            categoryName={nameOf(entry.category)}
          />
        ))}
        <LoadMore list={list} />
        <CsvExport
          label="导出台账 CSV"
          load={() => reportApi.overdueLedgerCsv({ communityId, gridId })}
          filename="overdue-ledger.csv"
        />
      </View>
    </PageState>
  );
}

function OverdueLedger() {
  const { me } = useSession();
  if (!me) return null;
  return <CommunityScope me={me}>{(scope) => <Ledger key={scope.key} scope={scope} />}</CommunityScope>;
}

export default function OverduePage() {
  return (
    <RequireLogin text="登录后查看超期台账">
      <OverdueLedger />
    </RequireLogin>
  );
}
