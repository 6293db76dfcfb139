import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton, AtFloatLayout, AtTextarea } from 'taro-ui';
import { useCallback, useState } from 'react';
import { platformApi, toApiError, type FlaggableKind } from '../../services/api';
import { ChoiceChips, type Choice } from '../choice-chips';
import { FormError } from '../form-error';
import './index.scss';

type Reason = '广告' | '不实信息' | '辱骂' | '涉及隐私' | '其他';
const reasons: Choice<Reason>[] = (['广告', '不实信息', '辱骂', '涉及隐私', '其他'] as const).map((value) => ({
  value,
  label: value,
}));

/** The service takes 2–100 characters: the reason, then what the user added. */
function reasonText(reason: Reason, detail: string): string {
  return (detail ? `${reason}：${detail}` : reason).slice(0, 100);
}

/** What is being flagged: its kind and id for the service, and its title or text, which the sheet quotes. */
export interface FlagTarget {
  kind: FlaggableKind;
  id: string;
  subject: string;
}

/**
 * A page's 举报 state: the item whose sheet is open, and the ids flagged on this visit (the service takes one flag
 * per person, so their 举报 becomes 已举报). `onHidden` hears of a flag that hid its item (the third distinct one
 * does): the page takes the item away at once, as it now waits for staff, hidden from everyone.
 */
export function useFlags(onHidden: (target: FlagTarget) => void) {
  const [target, setTarget] = useState<FlagTarget>();
  const [flaggedIds, setFlaggedIds] = useState<string[]>([]);
  const close = useCallback(() => setTarget(undefined), []);
  const done = useCallback(
    (flagged: FlagTarget, hidden: boolean) => {
      setTarget(undefined);
      setFlaggedIds((ids) => [...ids, flagged.id]);
      void Taro.showToast({ title: '已提交，感谢反馈', icon: 'none', duration: 2000 });
      if (hidden) onHidden(flagged);
    },
    [onHidden],
  );
  const isFlagged = useCallback((id: string) => flaggedIds.includes(id), [flaggedIds]);
  return { target, open: setTarget, close, done, isFlagged };
}

export type Flags = ReturnType<typeof useFlags>;

/** 举报, or 已举报 once the viewer flagged the item on this visit. */
export function FlagAction({
  flagged,
  onFlag,
  className,
}: {
  flagged: boolean;
  onFlag: () => void;
  className: string;
}) {
  return flagged ? (
    <Text className={`${className} ${className}--done`}>已举报</Text>
  ) : (
    <Text className={className} onClick={onFlag}>
      举报
    </Text>
  );
}

/** The sheet for the open 举报, if any: a reason and an optional note; a failure stays here with both. */
export function FlagSheet({ flags }: { flags: Flags }) {
  // Closing unmounts the form: the next 举报 starts empty.
  return flags.target ? <FlagForm target={flags.target} flags={flags} /> : null;
}

/** Quoted by its start: enough to tell which item it is, however long a comment runs. */
const QUOTE_CHARS = 20;

function FlagForm({ target, flags }: { target: FlagTarget; flags: Flags }) {
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
      const { hidden } = await platformApi.flag(target.kind, target.id, reasonText(reason, note));
      flags.done(target, hidden);
    } catch (err) {
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  };

  return (
    <AtFloatLayout isOpened title="举报" onClose={flags.close}>
      <View className="flag-sheet">
        <Text className="flag-sheet__subject">
          「{target.subject.length > QUOTE_CHARS ? `${target.subject.slice(0, QUOTE_CHARS)}…` : target.subject}」
        </Text>
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
