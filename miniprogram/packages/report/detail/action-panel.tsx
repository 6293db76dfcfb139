import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { useCallback, useState } from 'react';
import { ErrorCode } from '../../../../shared/errors';
import { isOpen, type ReportAction } from '../../../../shared/reports';
import type { ReportView } from '../../../../shared/schemas/reports';
import { usePhotoUploads } from '../../../components/photo-uploader';
import { useSession } from '../../../hooks/use-session';
import { reportApi, toApiError } from '../../../services/api';
import { handlesReports } from '../../../utils/report';
import { toastError } from '../../../utils/toast';
import {
  AssignForm,
  ConfirmForm,
  emptyDraft,
  RejectForm,
  ReopenForm,
  ResolveForm,
  type MoveDraft,
} from './action-forms';

type Move = Exclude<ReportAction, 'auto_close'>;

/** Moves taken with one tap; the others open a form first. */
const oneTap: readonly Move[] = ['accept', 'start'];
const primary: readonly Move[] = ['accept', 'assign', 'resolve', 'confirm'];

function buttonLabel(move: Move, state: ReportView['state']): string {
  switch (move) {
    case 'accept':
      return '受理';
    case 'reject':
      return '不予受理';
    case 'assign':
      return state === 'accepted' ? '派单' : '改派';
    case 'start':
      return '开始处理';
    case 'resolve':
      return '办结';
    case 'confirm':
      return '确认解决';
    case 'reopen':
      return '没解决';
  }
}

const doneText: Record<Move, string> = {
  accept: '已受理',
  reject: '已不予受理',
  assign: '已派单',
  start: '已开始处理',
  resolve: '已办结',
  confirm: '感谢您的评价',
  reopen: '已退回处理',
};

const validNote = (note: string) => note.trim().length >= 2 && note.trim().length <= 300;

/**
 * The moves the caller may make on the report now (the service's `actions`), each a button; those that
 * need a reason, a person, photos or a rating open their form. 我也遇到 / 取消关注 for other residents.
 * Someone else moved the report first (STALE_REPORT): it is reloaded and the form closes.
 */
export function ActionPanel({
  report,
  onMoved,
  onStale,
}: {
  report: ReportView;
  onMoved: (updated: ReportView, done: string) => void;
  onStale: () => Promise<void>;
}) {
  const [open, setOpen] = useState<Move>();
  const [draft, setDraft] = useState<MoveDraft>(emptyDraft);
  const [pending, setPending] = useState<Move | 'follow'>();
  const [error, setError] = useState<string>();
  const photos = usePhotoUploads({ max: 3 });
  const { me } = useSession();

  const changeDraft = useCallback((change: Partial<MoveDraft>) => setDraft((d) => ({ ...d, ...change })), []);
  const moves = report.actions.filter((a): a is Move => a !== 'auto_close');

  const run = async (move: Move | 'follow', call: () => Promise<ReportView>, done: string) => {
    setPending(move);
    setError(undefined);
    try {
      const updated = await call();
      setOpen(undefined);
      setDraft(emptyDraft);
      onMoved(updated, done);
    } catch (err) {
      const failure = toApiError(err);
      if (failure.code === ErrorCode.STALE_REPORT || failure.code === ErrorCode.INVALID_TRANSITION) {
        toastError(failure);
        setOpen(undefined);
        await onStale();
      } else if (open) {
        setError(failure.message);
      } else {
        toastError(failure);
      }
    } finally {
      setPending(undefined);
    }
  };

  const problem = (move: Move): string | undefined => {
    if ((move === 'reject' || move === 'resolve' || move === 'reopen') && !validNote(draft.note))
      return move === 'reopen' ? '请说明哪里没有解决（2–300 字）' : '请填写 2–300 字的说明';
    if (move === 'reject' && draft.rejectKind === 'duplicate' && !draft.duplicateOf) return '请选择与之重复的报事';
    if (move === 'assign' && !draft.assignee) return '请选择处理人';
    if (move === 'resolve' && !photos.ready)
      return photos.uploading ? '请等待图片上传完成' : '请上传至少一张处理后的照片';
    if (move === 'confirm' && (draft.score < 1 || draft.score > 5)) return '请选择 1–5 星';
    return undefined;
  };

  const call = (move: Move): (() => Promise<ReportView>) => {
    const note = draft.note.trim();
    switch (move) {
      case 'accept':
        return () => reportApi.accept(report.id);
      case 'start':
        return () => reportApi.start(report.id);
      case 'reject':
        return () =>
          reportApi.reject(report.id, {
            kind: draft.rejectKind,
            note,
            ...(draft.rejectKind === 'duplicate' ? { duplicateOf: draft.duplicateOf } : {}),
          });
      case 'assign':
        return () =>
          reportApi.assign(report.id, {
            assignee:
              draft.assignee === 'property' ? { kind: 'property' } : { kind: 'person', userId: draft.assignee! },
            ...(note ? { note } : {}),
          });
      case 'resolve':
        return () => reportApi.resolve(report.id, { note, mediaIds: photos.mediaIds });
      case 'confirm': {
        const comment = draft.comment.trim();
        return () => reportApi.confirm(report.id, { score: draft.score, ...(comment ? { comment } : {}) });
      }
      case 'reopen':
        return () => reportApi.reopen(report.id, note);
    }
  };

  const tap = (move: Move) => {
    if (oneTap.includes(move)) void run(move, call(move), doneText[move]);
    else {
      setError(undefined);
      setOpen(move);
    }
  };

  const submit = () => {
    if (!open) return;
    const invalid = problem(open);
    setError(invalid);
    if (!invalid) void run(open, call(open), doneText[open]);
  };

  const formProps = {
    draft,
    onDraft: changeDraft,
    pending: pending !== undefined,
    error,
    onCancel: () => setOpen(undefined),
    onSubmit: submit,
  };
  if (open === 'reject') return <RejectForm {...formProps} report={report} />;
  if (open === 'assign') return <AssignForm {...formProps} report={report} />;
  if (open === 'resolve') return <ResolveForm {...formProps} photos={photos} />;
  if (open === 'confirm') return <ConfirmForm {...formProps} />;
  if (open === 'reopen') return <ReopenForm {...formProps} />;

  // 我也遇到 is a neighbour's gesture: those who handle reports follow them through their own lists.
  const canFollow = !report.reporter.isMe && isOpen(report.state) && !handlesReports(me);
  if (moves.length === 0 && !canFollow) return null;
  return (
    <View className="report-actions">
      {report.state === 'resolved' && moves.includes('confirm') && (
        <Text className="report-actions__hint">问题解决了吗？确认并评价；7 天未确认将自动办结。</Text>
      )}
      <View className="report-actions__buttons">
        {canFollow && (
          <AtButton
            size="small"
            loading={pending === 'follow'}
            disabled={pending !== undefined}
            onClick={() =>
              void run(
                'follow',
                () => reportApi.follow(report.id, !report.following),
                report.following ? '已取消关注' : '已关注',
              )
            }
          >
            {report.following ? '取消关注' : '我也遇到'}
          </AtButton>
        )}
        {moves.map((move) => (
          <AtButton
            key={move}
            size="small"
            type={primary.includes(move) ? 'primary' : undefined}
            loading={pending === move}
            disabled={pending !== undefined}
            onClick={() => tap(move)}
          >
            {buttonLabel(move, report.state)}
          </AtButton>
        ))}
      </View>
    </View>
  );
}
