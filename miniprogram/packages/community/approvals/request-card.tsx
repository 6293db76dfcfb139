import { Text, View } from '@tarojs/components';
import { AtButton, AtInput } from 'taro-ui';
import { memo, useState } from 'react';
import { relationLabel } from '../../../../shared/places';
import type { JoinRequestView } from '../../../../shared/schemas/places';
import { FormError } from '../../../components/form-error';
import { formatTime, placePath } from '../../../utils/format';

export interface RequestCardProps {
  request: JoinRequestView;
  /** The reason being typed for a rejection; undefined while the reject form is closed. */
  draft: string | undefined;
  onDraft: (id: string, draft: string | undefined) => void;
  onApprove: (request: JoinRequestView) => void;
  onReject: (request: JoinRequestView, reason: string) => void;
}

/** One join request to decide: who (masked), which room, how they belong; 通过 or 拒绝 with a reason. */
export const RequestCard = memo(function RequestCard({
  request,
  draft,
  onDraft,
  onApprove,
  onReject,
}: RequestCardProps) {
  const [problem, setProblem] = useState<string>();
  const rejecting = draft !== undefined;

  const confirmReject = () => {
    const reason = (draft ?? '').trim();
    if (reason.length < 2 || reason.length > 100) {
      setProblem('请填写 2–100 字的拒绝理由，申请人会看到');
      return;
    }
    setProblem(undefined);
    onReject(request, reason);
  };

  return (
    <View className="approval">
      <View className="approval__head">
        <Text className="approval__name">{request.applicant.displayName}</Text>
        <Text className="approval__relation">{relationLabel[request.relation]}</Text>
        <Text className="approval__time">{formatTime(request.createdAt)}</Text>
      </View>
      <Text className="approval__place">
        {placePath(request.unit)} · {request.room}室
      </Text>
      {request.note && <Text className="approval__note">备注：{request.note}</Text>}
      {rejecting ? (
        <View className="approval__reject">
          <AtInput
            name={`reason-${request.id}`}
            placeholder="拒绝理由（申请人可见）"
            value={draft}
            maxLength={100}
            border={false}
            onChange={(value: string) => onDraft(request.id, value)}
          />
          <FormError message={problem} />
          <View className="approval__actions">
            <AtButton size="small" onClick={() => onDraft(request.id, undefined)}>
              取消
            </AtButton>
            <AtButton size="small" type="primary" onClick={confirmReject}>
              确认拒绝
            </AtButton>
          </View>
        </View>
      ) : (
        <View className="approval__actions">
          <AtButton size="small" onClick={() => onDraft(request.id, '')}>
            拒绝
          </AtButton>
          <AtButton size="small" type="primary" onClick={() => onApprove(request)}>
            通过
          </AtButton>
        </View>
      )}
    </View>
  );
});
