import { Text, View } from '@tarojs/components';
import { AtButton, AtInput, AtTextarea } from 'taro-ui';
import { useState } from 'react';
import type { ModerationCaseView } from '../../../../shared/schemas/platform';
import { FormError } from '../../../components/form-error';
import { platformApi, toApiError } from '../../../services/api';
import { toastSuccess } from '../../../utils/toast';
import { fieldLabel, fieldLimits, label } from '../labels';

/** An inline form of a case card, as typed so far. */
export type Draft = { mode: 'edit'; text: Record<string, string> } | { mode: 'ban'; days: string; reason: string };

function textProblem(text: Record<string, string>): string | undefined {
  for (const [field, value] of Object.entries(text)) {
    const { min, max } = fieldLimits[field] ?? { min: 1, max: 2000 };
    const length = value.trim().length;
    if (length < min || length > max) return `${label(fieldLabel, field)}需要 ${min}–${max} 个字`;
  }
  return undefined;
}

/** 编辑文字: the item's fields to redact or correct; 保存并发布 publishes the edited text. */
export function TextEditor({
  item,
  draft,
  onDraft,
  onSave,
}: {
  item: ModerationCaseView;
  draft: Extract<Draft, { mode: 'edit' }>;
  onDraft: (id: string, draft: Draft | undefined) => void;
  onSave: (item: ModerationCaseView, text: Record<string, string>) => void;
}) {
  const [problem, setProblem] = useState<string>();
  const change = (field: string, value: string) =>
    onDraft(item.id, { mode: 'edit', text: { ...draft.text, [field]: value } });

  const save = () => {
    const invalid = textProblem(draft.text);
    setProblem(invalid);
    if (invalid) return;
    onSave(item, Object.fromEntries(Object.entries(draft.text).map(([field, value]) => [field, value.trim()])));
  };

  return (
    <View className="case__editor">
      {Object.entries(draft.text).map(([field, value]) => (
        <View key={field} className="case__field">
          <Text className="case__field-label">{label(fieldLabel, field)}</Text>
          {field === 'title' ? (
            <AtInput
              name={`${item.id}-${field}`}
              value={value}
              maxLength={fieldLimits.title!.max}
              border={false}
              onChange={(next: string) => change(field, next)}
            />
          ) : (
            <AtTextarea
              value={value}
              maxLength={fieldLimits[field]?.max ?? 2000}
              height={240}
              onChange={(next: string) => change(field, next)}
            />
          )}
        </View>
      ))}
      <FormError message={problem} />
      <View className="case__actions">
        <AtButton size="small" onClick={() => onDraft(item.id, undefined)}>
          取消
        </AtButton>
        <AtButton size="small" type="primary" onClick={save}>
          保存并发布
        </AtButton>
      </View>
    </View>
  );
}

function banProblem(days: number, reason: string): string | undefined {
  if (!Number.isInteger(days) || days < 1 || days > 365) return '禁言天数为 1–365 天';
  if (reason.length < 2 || reason.length > 100) return '请填写 2–100 字的禁言理由';
  return undefined;
}

/** 禁言: stops the author posting for some days; the case itself stays to be decided. */
export function BanForm({
  item,
  draft,
  onDraft,
}: {
  item: ModerationCaseView;
  draft: Extract<Draft, { mode: 'ban' }>;
  onDraft: (id: string, draft: Draft | undefined) => void;
}) {
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();
  const change = (next: Partial<Omit<typeof draft, 'mode'>>) => onDraft(item.id, { ...draft, ...next });

  const submit = async () => {
    const days = Number(draft.days);
    const reason = draft.reason.trim();
    const invalid = banProblem(days, reason);
    setError(invalid);
    if (invalid) return;
    setSubmitting(true);
    try {
      await platformApi.banUser(item.author.id, days, reason);
      toastSuccess(`已禁言 ${days} 天`);
      onDraft(item.id, undefined);
    } catch (err) {
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  };

  return (
    <View className="case__ban">
      <Text className="case__field-label">禁言 {item.author.displayName}</Text>
      <AtInput
        name={`${item.id}-days`}
        title="天数"
        type="number"
        placeholder="1–365"
        value={draft.days}
        maxLength={3}
        disabled={submitting}
        onChange={(days: string) => change({ days })}
      />
      <AtInput
        name={`${item.id}-reason`}
        title="理由"
        placeholder="禁言理由（2–100 字）"
        value={draft.reason}
        maxLength={100}
        disabled={submitting}
        onChange={(reason: string) => change({ reason })}
      />
      <FormError message={error} />
      <View className="case__actions">
        <AtButton size="small" disabled={submitting} onClick={() => onDraft(item.id, undefined)}>
          取消
        </AtButton>
        <AtButton size="small" type="primary" loading={submitting} disabled={submitting} onClick={submit}>
          {submitting ? '提交中…' : '确认禁言'}
        </AtButton>
      </View>
    </View>
  );
}
