import { Text } from '@tarojs/components';
import { AtList, AtListItem } from 'taro-ui';
import type { Me } from '../../../shared/schemas/people';
import { useRefreshOnShow } from '../../hooks/use-refresh-on-show';
import { useRequest } from '../../hooks/use-request';
import { reportApi } from '../../services/api';
import { reportRoutes, seesFigures } from '../../utils/report';
import { openPage } from '../../utils/routes';

const COUNT_UP_TO = 50;

/** What waits for me, counted on one page of the handling list (soonest deadline first). */
async function loadWaiting(): Promise<{ count: string; overdue: number }> {
  const page = await reportApi.list('handling', { limit: COUNT_UP_TO });
  return {
    count: page.nextCursor ? `${COUNT_UP_TO}+` : String(page.items.length),
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
  return (
    <AtList className="snap__entries">
      <AtListItem
        title="待我处理"
        note={note}
        extraText={data && data.count !== '0' ? <Text className="snap__count">{data.count}</Text> : ''}
        arrow="right"
        iconInfo={{ value: 'bell', color: '#c8161d', size: 20 }}
        onClick={() => openPage(reportRoutes.handle)}
      />
      {seesFigures(me) && (
        <AtListItem
          title="超期台账"
          note="办结时限台账：每一次超时与升级"
          arrow="right"
          iconInfo={{ value: 'clock', color: '#c8161d', size: 20 }}
          onClick={() => openPage(reportRoutes.overdue)}
        />
      )}
      {seesFigures(me) && (
        <AtListItem
          title="数据统计"
          note="响应率、按时办结率、满意度"
          arrow="right"
          iconInfo={{ value: 'analytics', color: '#c8161d', size: 20 }}
          onClick={() => openPage(reportRoutes.figures)}
        />
      )}
    </AtList>
  );
}
