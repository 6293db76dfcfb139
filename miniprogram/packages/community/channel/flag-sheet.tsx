import { Text, View } from '@tarojs/components';
import { AtButton, AtFloatLayout, AtTextarea } from 'taro-ui';
import { useState } from 'react';
import type { NoticeView } from '../../../../shared/schemas/channels';
import { ChoiceChips, type Choice } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { platformApi, toApiError } from '../../../services/api';

type Reason = '广告' | '不实信息' | '辱骂' | '涉及隐私' | '其他';
const reasons: Choice<Reason>[] = (['广告', '不实信息', '辱骂', '涉及隐私', '其他'] as const).map((value) => ({
  value,
  label: value,
}));

/** The service takes 2–100 characters: the reason, then what the user added. */
function reasonText(reason: Reason, detail: string): string {
  return (detail ? `${reason}：${detail}` : reason).slice(0, 100);
}

/**
 * 举报 a notice: a reason and an optional note. `onFlagged` learns whether the flag hid the notice (the
 * third distinct one does); a failure stays here with what was chosen and typed.
 */
export function FlagSheet({
  notice,
  onClose,
  onFlagged,
}: {
  notice: NoticeView;
  onClose: () => void;
  onFlagged: (notice: NoticeView, hidden: boolean) => void;
}) {
  const [reason, setReason] = useState<Reason>();
  const [detail, setDetail] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async () => {
    const note = detail.trim();
    const invalid = !reason ? '请选择举报原因' : reason === '其他' && note.length < 2 ? '请说明举报原因' : undefined;
    setError(invalid);
    if (invalid || !reason) return;
    setSubmitting(true);
    try {
      const { hidden } = await platformApi.flag('notice', notice.id, reasonText(reason, note));
      onFlagged(notice, hidden);
    } catch (err) {
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  };

  return (
    <AtFloatLayout isOpened title="举报" onClose={onClose}>
      <View className="flag-sheet">
        <Text className="flag-sheet__notice">「{notice.title}」</Text>
        <Text className="flag-sheet__label">举报原因</Text>
        <ChoiceChips wide options={reasons} value={reason} disabled={submitting} onChange={setReason} />
        <AtTextarea
          value={detail}
          maxLength={80}
          height={160}
          disabled={submitting}
          placeholder={reason === '其他' ? '请说明举报原因' : '补充说明（选填）'}
          onChange={(value: string) => setDetail(value)}
        />
        <FormError message={error} />
        <AtButton type="primary" loading={submitting} disabled={submitting} onClick={submit}>
          {submitting ? '提交中…' : '提交举报'}
        </AtButton>
      </View>
    </AtFloatLayout>
  );
}
