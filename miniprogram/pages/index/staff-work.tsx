import { Text, View } from '@tarojs/components';
import { useCallback } from 'react';
import type { Me } from '../../../shared/schemas/people';
import { EntryList } from '../../components/entry-list';
import { useRefreshOnShow } from '../../hooks/use-refresh-on-show';
import { useRequest } from '../../hooks/use-request';
import { adminRoutes } from '../../packages/admin/routes';
import { manageRoutes } from '../../packages/manage/routes';
import { runsACommunity } from '../../packages/manage/entries';
import { api, platformApi, reportApi } from '../../services/api';
import { grantsFor } from '../../utils/permissions';
import { handlesReports, reportRoutes, seesFigures } from '../../utils/report';
import { openPage, routes } from '../../utils/routes';

/** Counted on one page of each queue: beyond it the tile says '50+'. */
const PAGE = 50;
const upTo = (count: number, more: boolean): number | string => (more ? `${PAGE}+` : count);

interface Counts {
  toAccept?: number | string;
  overdue?: number | string;
  toReview?: number | string;
  toApprove?: number | string;
}

/** What waits for me, each queue asked only of those who work it. */
async function loadCounts(me: Me): Promise<Counts> {
  const [handling, cases, requests] = await Promise.all([
    handlesReports(me) ? reportApi.list('handling', { limit: PAGE }) : undefined,
    grantsFor(me, 'moderation.review').length > 0 ? platformApi.moderationCases('open', { limit: PAGE }) : undefined,
    grantsFor(me, 'join.review').length > 0 ? api.joinRequests('review', 'pending') : undefined,
  ]);
  const more = !!handling?.nextCursor;
  return {
    toAccept: handling && upTo(handling.items.filter((r) => r.state === 'submitted').length, more),
    overdue: handling && upTo(handling.items.filter((r) => r.overdue).length, more),
    toReview: cases && upTo(cases.items.length, !!cases.nextCursor),
    toApprove: requests?.length,
  };
}

function Tile({ label, count, url }: { label: string; count: number | string; url: string }) {
  const busy = count !== 0;
  return (
    <View className={`home__tile${busy ? ' home__tile--busy' : ''}`} onClick={() => openPage(url)}>
      <Text className="home__tile-count">{count}</Text>
      <Text className="home__tile-label">{label}</Text>
    </View>
  );
}

/** A staff member's 首页: the counts waiting for them (each opens its list) and the 管理 console. */
export function StaffWork({ me }: { me: Me }) {
  const load = useCallback(() => loadCounts(me), [me]);
  const { data, error, refresh } = useRequest(load);
  useRefreshOnShow(refresh);
  const tiles = [
    data?.toAccept !== undefined && { label: '待受理', count: data.toAccept, url: reportRoutes.handle },
    data?.overdue !== undefined && {
      label: '超期',
      count: data.overdue,
      url: seesFigures(me) ? reportRoutes.overdue : reportRoutes.handle,
    },
    data?.toReview !== undefined && { label: '待审核', count: data.toReview, url: adminRoutes.moderation },
    data?.toApprove !== undefined && { label: '待审批', count: data.toApprove, url: routes.approvals },
  ].filter((tile) => !!tile);
  return (
    <View className="home__work">
      <Text className="home__section-title">我的待办</Text>
      {error ? (
        <Text className="home__note">{error.message}</Text>
      ) : (
        <View className="home__tiles">
          {tiles.map((tile) => (
            <Tile key={tile.label} {...tile} />
          ))}
        </View>
      )}
      {runsACommunity(me) && (
        <EntryList
          block="home"
          entries={[
            {
              title: '管理',
              note: '地点与角色、网格、问题分类、批量导入、开放接口',
              icon: 'settings',
              url: manageRoutes.index(),
            },
          ]}
        />
      )}
    </View>
  );
}
