import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { AtButton, AtTextarea } from 'taro-ui';
import { entryActionLabel, type EntryAction } from '../../../../shared/boards';
import type { EntryView } from '../../../../shared/schemas/boards';
import { FormError } from '../../../components/form-error';
import { PhotoUploader, usePhotoUploads } from '../../../components/photo-uploader';
import type { Run as MoveRun } from '../../../hooks/use-moves';
import { boardsApi } from '../../../services/boards-api';

/**
 * Runs a move on the entry: the page shows it pending, applies the answer or says why it failed (what was typed
 * stays). Resolves to whether it went through.
 */
export type Run = MoveRun<EntryView>;

/** The moves that take a few words, with what the words are for. */
export type WrittenAction =
  'ask_more' | 'dismiss' | 'respond' | 'withdraw_rectified' | 'appeal' | 'uphold_appeal' | 'reject_appeal';

interface Written {
  placeholder: string;
  done: string;
  max: number;
  send: (id: string, words: string) => Promise<EntryView>;
}

const written: Record<WrittenAction, Written> = {
  ask_more: {
    placeholder: '请说明需要补充什么（提名人会看到）',
    done: '已请提名人补充',
    max: 200,
    send: boardsApi.askMore,
  },
  dismiss: { placeholder: '请说明不予采纳的原因（提名人会看到）', done: '已处理', max: 200, send: boardsApi.dismiss },
  respond: {
    placeholder: '向社区说明情况，例如：纸箱是快递临时放置，当天已搬走',
    done: '已提交回应',
    max: 300,
    send: boardsApi.respond,
  },
  withdraw_rectified: {
    placeholder: '核实整改情况（住户会看到），撤回后该条目不上榜',
    done: '已撤回，不上榜',
    max: 200,
    send: boardsApi.withdrawRectified,
  },
  appeal: { placeholder: '请说明申诉理由，社区工作人员会复核', done: '已提交申诉', max: 200, send: boardsApi.appeal },
  uphold_appeal: {
    placeholder: '复核意见（住户会看到），该条目将以更正说明撤榜',
    done: '已撤榜更正',
    max: 200,
    send: (id, note) => boardsApi.decideAppeal(id, { upheld: true, note }),
  },
  reject_appeal: {
    placeholder: '复核意见（住户会看到）',
    done: '已驳回申诉',
    max: 200,
    send: (id, note) => boardsApi.decideAppeal(id, { upheld: false, note }),
  },
};
export const isWritten = (action: EntryAction): action is WrittenAction => action in written;

function Buttons({ busy, disabled, label, onClose, onSubmit }: ButtonsProps) {
  return (
    <View className="board-tools">
      <AtButton size="small" disabled={busy} onClick={onClose}>
        取消
      </AtButton>
      <AtButton size="small" type="primary" loading={busy} disabled={busy || disabled} onClick={onSubmit}>
        {label}
      </AtButton>
    </View>
  );
}
interface ButtonsProps {
  busy: boolean;
  disabled?: boolean;
  label: string;
  onClose: () => void;
  onSubmit: () => void;
}

/** A move with a reason, a response or a note: 2 characters or more. */
export function WrittenPanel(props: {
  entry: EntryView;
  action: WrittenAction;
  run: Run;
  busy: boolean;
  onClose: () => void;
}) {
  const { entry, action, run, busy, onClose } = props;
  const config = written[action];
  const [words, setWords] = useState('');
  const [error, setError] = useState<string>();
  const submit = async () => {
    const typed = words.trim();
    if ([...typed].length < 2) return setError('请至少写 2 个字');
    setError(undefined);
    if (await run(config.done, () => config.send(entry.id, typed))) onClose();
  };
  return (
    <View className="card board-card">
      <Text className="board-card__title">{entryActionLabel[action]}</Text>
      <AtTextarea
        value={words}
        maxLength={config.max}
        height={140}
        disabled={busy}
        placeholder={config.placeholder}
        onChange={(v: string) => setWords(v)}
      />
      <FormError message={error} />
      <Buttons busy={busy} label="确定" onClose={onClose} onSubmit={() => void submit()} />
    </View>
  );
}

/**
 * Words and photos: 已整改 (the household's proof, 1–3 photos required) or 补充材料 (the nominator's, photos
 * optional).
 */
export function PhotoPanel(props: {
  entry: EntryView;
  action: 'rectify' | 'add_info';
  run: Run;
  busy: boolean;
  onClose: () => void;
}) {
  const { entry, action, run, busy, onClose } = props;
  const photos = usePhotoUploads({ max: 3, communityId: entry.communityId });
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const rectify = action === 'rectify';
  const submit = async () => {
    const invalid =
      rectify && photos.items.length === 0
        ? '请至少上传 1 张整改后的照片'
        : photos.uploading
          ? '照片还在上传，请稍候'
          : photos.items.some((item) => item.status === 'failed')
            ? '有照片未上传成功，请重试或删除'
            : [...text.trim()].length < 2
              ? rectify
                ? '请说明整改情况（至少 2 个字）'
                : '请写下补充的情况（至少 2 个字）'
              : undefined;
    setError(invalid);
    if (invalid) return;
    const mediaIds = photos.mediaIds;
    const ok = rectify
      ? await run('已提交整改', () => boardsApi.rectify(entry.id, { note: text.trim(), mediaIds }))
      : await run('已补充', () =>
          boardsApi.addInfo(entry.id, { text: text.trim(), ...(mediaIds.length > 0 ? { mediaIds } : {}) }),
        );
    if (ok) onClose();
  };
  return (
    <View className="card board-card">
      <Text className="board-card__title">{entryActionLabel[action]}</Text>
      <PhotoUploader
        photos={photos}
        disabled={busy}
        hint={rectify ? '拍下整改后的情况（1–3 张），社区核实后不上榜' : '可选：补充证据照片，最多 3 张'}
      />
      <AtTextarea
        value={text}
        maxLength={rectify ? 200 : 300}
        height={140}
        disabled={busy}
        placeholder={rectify ? '例如：楼道纸箱已全部清走' : '补充时间、地点、经过等情况'}
        onChange={(v: string) => setText(v)}
      />
      <FormError message={error} />
      <Buttons
        busy={busy}
        disabled={photos.uploading}
        label={photos.uploading ? '图片上传中…' : '提交'}
        onClose={onClose}
        onSubmit={() => void submit()}
      />
    </View>
  );
}
