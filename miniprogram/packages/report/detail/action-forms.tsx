import { Text, View } from '@tarojs/components';
import { AtButton, AtRate, AtTextarea } from 'taro-ui';
import { useCallback } from 'react';
import { reportStateLabel, type RejectReason } from '../../../../shared/reports';
import type { ReportView } from '../../../../shared/schemas/reports';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { PageState } from '../../../components/page-state';
import { PhotoUploader, type PhotoUploads } from '../../../components/photo-uploader';
import { useRequest } from '../../../hooks/use-request';
import { reportApi } from '../../../services/api';
import { formatTime, roleText } from '../../../utils/format';

/** What the open form holds; kept by the panel so a failed move keeps what was typed. */
export interface MoveDraft {
  note: string;
  rejectKind: RejectReason;
  /** The chosen candidate: a user id, or 'property' for the property company. */
  assignee?: string;
  /** For 重复报事: the report this one repeats. */
  duplicateOf?: string;
  score: number;
  comment: string;
}

export const emptyDraft: MoveDraft = { note: '', rejectKind: 'invalid', score: 0, comment: '' };

interface FormProps {
  draft: MoveDraft;
  onDraft: (change: Partial<MoveDraft>) => void;
  pending: boolean;
  error: string | undefined;
  onCancel: () => void;
  onSubmit: () => void;
}

function FormButtons({
  pending,
  onCancel,
  onSubmit,
  label,
}: Pick<FormProps, 'pending' | 'onCancel' | 'onSubmit'> & { label: string }) {
  return (
    <View className="move-form__buttons">
      <AtButton size="small" disabled={pending} onClick={onCancel}>
        取消
      </AtButton>
      <AtButton size="small" type="primary" loading={pending} disabled={pending} onClick={onSubmit}>
        {pending ? '提交中…' : label}
      </AtButton>
    </View>
  );
}

function NoteField({
  draft,
  onDraft,
  pending,
  placeholder,
}: Pick<FormProps, 'draft' | 'onDraft' | 'pending'> & { placeholder: string }) {
  return (
    <AtTextarea
      className="move-form__note"
      value={draft.note}
      count
      maxLength={300}
      height={160}
      disabled={pending}
      placeholder={placeholder}
      onChange={(value: string) => onDraft({ note: value })}
    />
  );
}

const rejectKinds = [
  { value: 'invalid' as const, label: '无效报事' },
  { value: 'duplicate' as const, label: '重复报事' },
];

const excerpt = (text: string): string => (text.length > 16 ? `${text.slice(0, 16)}…` : text);

/** The same-category reports the handler can see, newest first, to name the one this report repeats. */
function DuplicatePicker({ draft, onDraft, pending, report }: FormProps & { report: ReportView }) {
  const load = useCallback(() => reportApi.list('all', { category: report.category.code }), [report.category.code]);
  const candidates = useRequest(load);
  const choose = useCallback((duplicateOf: string) => onDraft({ duplicateOf }), [onDraft]);
  const options = (candidates.data?.items ?? [])
    .filter((r) => r.id !== report.id && r.state !== 'rejected')
    .map((r) => ({
      value: r.id,
      label: `${excerpt(r.description)} · ${formatTime(r.createdAt)} · ${reportStateLabel[r.state]}`,
    }));
  return (
    <View className="move-form__duplicates">
      <Text className="move-form__hint">与哪件报事重复？</Text>
      <PageState
        loading={candidates.loading}
        error={candidates.error}
        onRetry={candidates.reload}
        empty={options.length === 0}
        emptyText={`没有其他${report.category.name}报事，不能标为重复`}
      >
        <ChoiceChips options={options} value={draft.duplicateOf} disabled={pending} onChange={choose} />
      </PageState>
    </View>
  );
}

export function RejectForm(props: FormProps & { report: ReportView }) {
  const { draft, onDraft, pending, error } = props;
  const setKind = useCallback((rejectKind: RejectReason) => onDraft({ rejectKind }), [onDraft]);
  return (
    <View className="move-form">
      <Text className="move-form__title">不予受理</Text>
      <ChoiceChips options={rejectKinds} value={draft.rejectKind} disabled={pending} onChange={setKind} />
      {draft.rejectKind === 'duplicate' && <DuplicatePicker {...props} />}
      <NoteField {...props} placeholder="理由（报告人可见），如：已有相同报事正在处理" />
      <FormError message={error} />
      <FormButtons {...props} label="确认不予受理" />
    </View>
  );
}

export function AssignForm(props: FormProps & { report: ReportView }) {
  const { draft, onDraft, pending, error, report } = props;
  const load = useCallback(() => reportApi.assignees(report.id), [report.id]);
  const candidates = useRequest(load);
  const choose = useCallback((assignee: string) => onDraft({ assignee }), [onDraft]);
  const options = (candidates.data ?? []).map((c) => ({
    value: c.kind === 'property' ? 'property' : c.userId!,
    label: c.kind === 'property' ? c.displayName : `${c.displayName}（${roleText(c.role)}）`,
  }));
  return (
    <View className="move-form">
      <Text className="move-form__title">{report.state === 'accepted' ? '派单给' : '改派给'}</Text>
      <PageState
        loading={candidates.loading}
        error={candidates.error}
        onRetry={candidates.reload}
        empty={options.length === 0}
        emptyText="没有可派的处理人"
      >
        <ChoiceChips options={options} value={draft.assignee} disabled={pending} onChange={choose} />
      </PageState>
      <NoteField {...props} placeholder="派单说明（选填）" />
      <FormError message={error} />
      <FormButtons {...props} label="确认派单" />
    </View>
  );
}

export function ResolveForm(props: FormProps & { photos: PhotoUploads }) {
  const { pending, error, photos } = props;
  return (
    <View className="move-form">
      <Text className="move-form__title">办结</Text>
      <PhotoUploader photos={photos} disabled={pending} hint="拍下处理后的现场，1–3 张" />
      <NoteField {...props} placeholder="处理情况（报告人可见），如：楼道杂物已清理完毕" />
      <FormError message={error} />
      <FormButtons {...props} label={photos.uploading ? '图片上传中…' : '确认办结'} />
    </View>
  );
}

const scoreWords = ['', '很不满意', '不满意', '一般', '满意', '非常满意'];

export function ConfirmForm(props: FormProps) {
  const { draft, onDraft, pending, error } = props;
  return (
    <View className="move-form">
      <Text className="move-form__title">确认解决并评价</Text>
      <View className="move-form__rate">
        <AtRate value={draft.score} size={28} onChange={(score: number) => !pending && onDraft({ score })} />
        <Text className="move-form__score">{scoreWords[draft.score] ?? ''}</Text>
      </View>
      <AtTextarea
        className="move-form__note"
        value={draft.comment}
        count
        maxLength={200}
        height={140}
        disabled={pending}
        placeholder="说说处理得怎么样（选填）"
        onChange={(value: string) => onDraft({ comment: value })}
      />
      <FormError message={error} />
      <FormButtons {...props} label="提交评价" />
    </View>
  );
}

export function ReopenForm(props: FormProps) {
  return (
    <View className="move-form">
      <Text className="move-form__title">问题没有解决</Text>
      <NoteField {...props} placeholder="哪里还没解决？处理人会看到" />
      <FormError message={props.error} />
      <FormButtons {...props} label="退回重新处理" />
    </View>
  );
}
