import { View } from '@tarojs/components';
import { AtButton, AtInput } from 'taro-ui';
import { useState } from 'react';
import type { NoticeView } from '../../../../shared/schemas/channels';
import { FormError } from '../../../components/form-error';
import { LimitedTextarea } from '../../../components/limited-textarea';
import { api, toApiError } from '../../../services/api';
import { toastSuccess } from '../../../utils/toast';
import { NOTICE_BODY_MAX, NOTICE_TITLE_MAX, noticeTextProblem } from '../notice-text';

/**
 * 编辑 on a notice, in place: its title and body (photos stay as posted). Saved, the card shows the new text
 * marked 已编辑; refused (content check, limits), the typed text stays with the reason.
 */
export function NoticeEditor({
  notice,
  onSaved,
  onCancel,
}: {
  notice: NoticeView;
  onSaved: (notice: NoticeView) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(notice.title);
  const [body, setBody] = useState(notice.body);
  const [saving, setSaving] = useState(false);
  // Shown until the user changes what it is about.
  const [failure, setFailure] = useState<{ message: string; text: string }>();
  const typed = `${title}\n${body}`;

  const save = async () => {
    const text = { title: title.trim(), body: body.trim() };
    const invalid = noticeTextProblem(text.title, text.body);
    if (invalid) {
      setFailure({ message: invalid, text: typed });
      return;
    }
    setSaving(true);
    try {
      const saved = await api.editNotice(notice.id, text);
      toastSuccess(saved.moderation === 'review' ? '已提交审核' : '已保存');
      onSaved(saved);
    } catch (err) {
      setFailure({ message: toApiError(err).message, text: typed });
      setSaving(false);
    }
  };

  return (
    // Taps here must not fold or unfold the notice.
    <View className="notice-editor" onClick={(event) => event.stopPropagation()}>
      <AtInput
        name="title"
        title="标题"
        value={title}
        maxLength={NOTICE_TITLE_MAX}
        disabled={saving}
        onChange={(value: string) => setTitle(value)}
      />
      <LimitedTextarea value={body} max={NOTICE_BODY_MAX} height={240} disabled={saving} onChange={setBody} />
      <FormError message={failure?.text === typed ? failure.message : undefined} />
      <View className="notice-editor__buttons">
        <AtButton size="small" disabled={saving} onClick={onCancel}>
          取消
        </AtButton>
        <AtButton size="small" type="primary" loading={saving} disabled={saving} onClick={save}>
          保存
        </AtButton>
      </View>
    </View>
  );
}
