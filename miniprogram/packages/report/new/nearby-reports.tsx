import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { memo, useCallback, useEffect, useState } from 'react';
import type { GeoPoint } from '../../../../shared/schemas/reports';
import { StateTag } from '../../../components/report-card';
import { reportApi, type NearbyMatch } from '../../../services/api';
import { reportRoutes } from '../../../utils/report';
import { openPage } from '../../../utils/routes';
import { toastError, toastSuccess } from '../../../utils/toast';

const NearbyRow = memo(function NearbyRow({
  match,
  onFollowed,
}: {
  match: NearbyMatch;
  onFollowed: (id: string) => void;
}) {
  const { report, distanceMeters } = match;
  const [pending, setPending] = useState(false);
  const follow = useCallback(async () => {
    setPending(true);
    try {
      await reportApi.follow(report.id, true);
      onFollowed(report.id);
      toastSuccess('已关注');
    } catch (err) {
      toastError(err);
    } finally {
      setPending(false);
    }
  }, [report.id, onFollowed]);

  return (
    <View className="nearby__row">
      <View className="nearby__info" onClick={() => openPage(reportRoutes.detail(report.id))}>
        <View className="nearby__head">
          <StateTag state={report.state} />
          <Text className="nearby__distance">约 {distanceMeters} 米</Text>
          {report.followerCount > 0 && <Text className="nearby__distance">{report.followerCount} 人也遇到</Text>}
        </View>
        <Text className="nearby__text">{report.description}</Text>
      </View>
      {report.reporter.isMe ? (
        <Text className="nearby__mine">我报的</Text>
      ) : report.following ? (
        <Text className="nearby__mine">已关注</Text>
      ) : (
        <AtButton size="small" type="secondary" loading={pending} disabled={pending} onClick={follow}>
          我也遇到
        </AtButton>
      )}
    </View>
  );
});

/**
 * Open reports of the chosen category near here: joining one (我也遇到) follows its progress instead of
 * filing the same problem again. Nothing shows without a location or when there are none.
 */
export function NearbyReports({
  category,
  location,
}: {
  category: string | undefined;
  location: GeoPoint | undefined;
}) {
  const [found, setFound] = useState<{ for: string; matches: NearbyMatch[] }>();
  const query = category && location ? `${category}@${location.longitude},${location.latitude}` : undefined;

  useEffect(() => {
    if (!query || !category || !location) return;
    let current = true;
    reportApi.nearby(category, location).then(
      (matches) => current && setFound({ for: query, matches }),
      // The check helps, it is not required: without it the report is filed as usual.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [query, category, location]);

  const followed = useCallback(
    (id: string) =>
      setFound(
        (previous) =>
          previous && {
            ...previous,
            matches: previous.matches.map((m) =>
              m.report.id === id
                ? { ...m, report: { ...m.report, following: true, followerCount: m.report.followerCount + 1 } }
                : m,
            ),
          },
      ),
    [],
  );

  const matches = found && found.for === query ? found.matches : [];
  if (matches.length === 0) return null;
  return (
    <View className="card nearby">
      <Text className="nearby__title">附近已有 {matches.length} 条相同问题</Text>
      <Text className="nearby__hint">是同一个问题？点「我也遇到」一起跟进，不必重复提交。</Text>
      {matches.map((match) => (
        <NearbyRow key={match.report.id} match={match} onFollowed={followed} />
      ))}
    </View>
  );
}
