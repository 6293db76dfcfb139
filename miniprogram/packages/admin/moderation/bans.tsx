import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { useCallback } from 'react';
import type { BanView } from '../../../../shared/schemas/platform';
import { PageState } from '../../../components/page-state';
import { useConfirmedAction } from '../../../hooks/use-confirmed-action';
import { useRequest } from '../../../hooks/use-request';
import { platformApi } from '../../../services/api';
import { formatDateTime } from '../../../utils/format';

const loadBans = () => platformApi.bans();

/** 禁言中: who may not post now, until when and why; 解除 lets them post again at once. */
export function Bans() {
  const { data, loading, error, reload, update } = useRequest(loadBans);
  const { pending: lifting, run } = useConfirmedAction();
  const lift = useCallback(
    (ban: BanView) =>
      run(
        ban.userId,
        { title: '解除禁言', content: `解除后 ${ban.displayName} 可以立即发布内容，确定解除吗？` },
        async () => {
          await platformApi.liftBan(ban.userId);
          update((list) => list?.filter((b) => b.userId !== ban.userId));
        },
        '已解除禁言',
      ),
    [run, update],
  );

  return (
    <PageState loading={loading} error={error} onRetry={reload} empty={data?.length === 0} emptyText="没有禁言中的居民">
      <View className="moderation__list">
        {data?.map((ban) => (
          <View key={ban.userId} className="ban">
            <View className="ban__body">
              <Text className="ban__name">{ban.displayName}</Text>
              <Text className="ban__line">禁言至 {formatDateTime(ban.bannedUntil)}</Text>
              <Text className="ban__line">原因：{ban.reason}</Text>
            </View>
            <AtButton
              size="small"
              loading={lifting === ban.userId}
              disabled={lifting !== undefined}
              onClick={() => void lift(ban)}
            >
              解除
            </AtButton>
          </View>
        ))}
      </View>
    </PageState>
  );
}
