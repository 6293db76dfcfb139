import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { relationLabel, type HouseholdRelation } from '../../../../shared/places';
import type { InvitePreview, JoinRequestView } from '../../../../shared/schemas/places';
import { api, toApiError } from '../../../services/api';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { formatDateTime, placePath } from '../../../utils/format';
import { toastSuccess } from '../../../utils/toast';
import { ChoiceChips, type Choice } from '../../../components/choice-chips';
import { LimitedTextarea } from '../../../components/limited-textarea';
import { FormError } from '../../../components/form-error';
import { roomsByFloor } from '../../../utils/rooms';

const relations: Choice<HouseholdRelation>[] = (['owner', 'family', 'tenant'] as const).map((value) => ({
  value,
  label: relationLabel[value],
}));

export interface ApplyStepProps {
  code: string;
  preview: InvitePreview;
  onChangeCode: () => void;
  onSubmitted: (request: JoinRequestView) => void;
}

/** Step 2: which room, how the user belongs to it, an optional note for the captain; then apply. */
export function ApplyStep({ code, preview, onChangeCode, onSubmitted }: ApplyStepProps) {
  const [room, setRoom] = useState<string>();
  const [relation, setRelation] = useState<HouseholdRelation>();
  const [note, setNote] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();
  const floors = useMemo(() => roomsByFloor(preview.rooms), [preview.rooms]);
  useEffect(prepareSubscribe, []);

  const submit = useCallback(async () => {
    if (!room || !relation) {
      setError(room ? '请选择您与这户的关系' : '请选择您家的房号');
      return;
    }
    // In WeChat: may we tell them when the captain decides? Asked in this tap, answered while we send.
    void askToSubscribe(['join.decided']);
    setSubmitting(true);
    setError(undefined);
    try {
      const trimmed = note.trim();
      const request = await api.requestToJoin({ code, room, relation, ...(trimmed ? { note: trimmed } : {}) });
      toastSuccess('申请已提交');
      onSubmitted(request);
    } catch (err) {
      // Everything typed stays as it was, so the user can fix the one thing and try again.
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  }, [code, room, relation, note, onSubmitted]);

  return (
    <View className="join">
      <View className="card join__unit">
        <Text className="join__unit-label">申请加入</Text>
        <Text className="join__unit-name">{placePath(preview.unit)}</Text>
        <Text className="join__text">
          邀请码 {code} · 有效期至 {formatDateTime(preview.expiresAt)}
        </Text>
      </View>

      <View className="card join__step">
        <Text className="join__title">选择房号</Text>
        {floors.map(({ floor, rooms }) => (
          <View key={floor} className="join__floor">
            <Text className="join__floor-label">{floor}层</Text>
            <ChoiceChips wide options={rooms} value={room} disabled={submitting} onChange={setRoom} />
          </View>
        ))}
      </View>

      <View className="card join__step">
        <Text className="join__title">您与这户的关系</Text>
        <ChoiceChips wide options={relations} value={relation} disabled={submitting} onChange={setRelation} />
        <Text className="join__title">备注（选填）</Text>
        <LimitedTextarea
          value={note}
          max={100}
          height={120}
          disabled={submitting}
          placeholder="例如：我是王阿姨的女儿，方便楼长核实"
          onChange={setNote}
        />
      </View>

      <View className="page-actions">
        <FormError message={error} />
        <AtButton type="primary" loading={submitting} disabled={submitting} onClick={submit}>
          {submitting ? '提交中…' : '提交申请'}
        </AtButton>
        <AtButton disabled={submitting} onClick={onChangeCode}>
          更换邀请码
        </AtButton>
      </View>
    </View>
  );
}
