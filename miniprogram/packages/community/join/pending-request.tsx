import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton, AtIcon } from 'taro-ui';
import { useCallback, useState } from 'react';
import { relationLabel } from '../../../../shared/places';
import type { JoinRequestView } from '../../../../shared/schemas/places';
import { api } from '../../../services/api';
import { formatTime, placePath } from '../../../utils/format';
import { toastError, toastSuccess } from '../../../utils/toast';

/** After applying: the request waits for the unit's captain; the user may withdraw it. */
export function PendingRequest({
  request,
  onCancelled,
}: {
  request: JoinRequestView;
  onCancelled: (request: JoinRequestView) => void;
}) {
  const [cancelling, setCancelling] = useState(false);

  const cancel = useCallback(async () => {
    const { confirm } = await Taro.showModal({ title: '撤回申请', content: '撤回后可以重新提交申请，确定撤回吗？' });
    if (!confirm) return;
    setCancelling(true);
    try {
      onCancelled(await api.cancelJoin(request.id));
      toastSuccess('已撤回');
    } catch (err) {
      toastError(err);
      setCancelling(false);
    }
  }, [request.id, onCancelled]);

  return (
    <View className="card join__pending">
      <AtIcon value="clock" size="56" color="#f08c00" />
      <Text className="join__title">等待楼长/单元长审核</Text>
      <Text className="join__text">审核通过后，您就能看到单元群、楼栋群、小区群和社区群的消息。</Text>
      <View className="join__summary">
        <Text className="join__unit-name">
          {placePath(request.unit)} · {request.room}室
        </Text>
        <Text className="join__text">
          {relationLabel[request.relation]} · 提交于 {formatTime(request.createdAt)}
        </Text>
        {request.note && <Text className="join__text">备注：{request.note}</Text>}
      </View>
      <AtButton loading={cancelling} disabled={cancelling} onClick={cancel}>
        撤回申请
      </AtButton>
    </View>
  );
}
