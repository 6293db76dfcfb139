import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { memo } from 'react';
import type { InviteView } from '../../../../shared/schemas/places';
import { formatDateTime } from '../../../utils/format';

function status(invite: InviteView): { text: string; usable: boolean } {
  if (invite.revoked) return { text: '已撤销', usable: false };
  if (Date.parse(invite.expiresAt) <= Date.now()) return { text: '已过期', usable: false };
  return { text: `有效期至 ${formatDateTime(invite.expiresAt)}`, usable: true };
}

export const InviteRow = memo(function InviteRow({
  invite,
  revoking,
  onRevoke,
}: {
  invite: InviteView;
  revoking: boolean;
  onRevoke: (invite: InviteView) => void;
}) {
  const { text, usable } = status(invite);
  return (
    <View className={`invite-row${usable ? '' : ' invite-row--inactive'}`}>
      <View className="invite-row__info">
        <Text className="invite-row__code">{invite.code}</Text>
        <Text className="invite-row__meta">
          {text} · 已用 {invite.uses} 次
        </Text>
      </View>
      {usable && (
        <AtButton size="small" loading={revoking} disabled={revoking} onClick={() => onRevoke(invite)}>
          撤销
        </AtButton>
      )}
    </View>
  );
});
