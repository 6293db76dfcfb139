import type { Me } from '../../../shared/schemas/people';
import { EntryList } from '../../components/entry-list';
import { useRefreshOnShow } from '../../hooks/use-refresh-on-show';
import { useRequest } from '../../hooks/use-request';
import { reportApi } from '../../services/api';
import { reportRoutes, seesFigures } from '../../utils/report';

const COUNT_UP_TO = 50;

/** What waits for me, counted on one page of the handling list (soonest deadline first). */
async function loadWaiting(): Promise<{ count: number | string; overdue: number }> {
  const page = await reportApi.list('handling', { limit: COUNT_UP_TO });
  return {
    count: page.nextCursor ? `${COUNT_UP_TO}+` : page.items.length,
    overdue: page.items.filter((report) => report.overdue).length,
  };
}

/** For handlers and dispatchers: 待我处理 with its count; for staff also the overdue ledger and the figures. */
export function HandlerEntries({ me }: { me: Me }) {
  const { data, error, refresh } = useRequest(loadWaiting);
  useRefreshOnShow(refresh);
  const note = error
    ? error.message
    : data && data.overdue > 0
      ? `其中 ${data.overdue} 件已超期`
      : '按时限先后排列，超期标红';
  const figures = seesFigures(me);
  return (
    <EntryList
      block="snap"
      entries={[
        { title: '待我处理', note, icon: 'bell', url: reportRoutes.handle, count: data?.count },
        figures && {
          title: '超期台账',
          note: '办结时限台账：每一次超时与升级',
          icon: 'clock',
          url: reportRoutes.overdue,
        },
        figures && {
          title: '数据统计',
          note: '响应率、按时办结率、满意度',
          icon: 'analytics',
          url: reportRoutes.figures,
        },
      ]}
    />
  );
}
