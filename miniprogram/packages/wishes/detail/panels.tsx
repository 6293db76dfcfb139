import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { AtButton, AtFloatLayout, AtSwitch, AtTextarea } from 'taro-ui';
import type { WishView } from '../../../../shared/schemas/wishes';
import { claimantTypeLabel, wishActionLabel, type ClaimantType, type WishAction } from '../../../../shared/wishes';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { PhotoUploader, usePhotoUploads } from '../../../components/photo-uploader';
import type { Run as MoveRun } from '../../../hooks/use-moves';
import { askToSubscribe } from '../../../services/subscribe';
import { wishesApi } from '../../../services/wishes-api';

/**
 * Runs a move on the wish: the page shows it pending, applies the answer or says why it failed (what was typed
 * stays). Resolves to whether it went through.
 */
export type Run = MoveRun<WishView>;

/** The moves that take a few words, with what the words are for. */
export type WrittenAction = 'return' | 'reject' | 'withdraw' | 'release' | 'confirm' | 'dispute' | 'settle' | 'reopen';
export const writtenActions: readonly WrittenAction[] = [
  'return',
  'reject',
  'withdraw',
  'release',
  'confirm',
  'dispute',
  'settle',
  'reopen',
];

interface Written {
  placeholder: string;
  /** May be left empty (withdraw's reason, confirm's thanks). */
  optional?: boolean;
  done: string;
  send: (id: string, words: string | undefined) => Promise<WishView>;
}

const written: Record<WrittenAction, Written> = {
  return: {
    placeholder: '请说明需要修改什么（居民会看到）',
    done: '已退回',
    send: (id, w) => wishesApi.return(id, w ?? ''),
  },
  reject: {
    placeholder: '请说明不予发布的原因（居民会看到）',
    done: '已处理',
    send: (id, w) => wishesApi.reject(id, w ?? ''),
  },
  withdraw: { placeholder: '撤回原因（选填）', optional: true, done: '已撤回', send: wishesApi.withdraw },
  release: {
    placeholder: '请说明原因，心愿会重回心愿墙',
    done: '已放弃认领',
    send: (id, w) => wishesApi.release(id, w ?? ''),
  },
  confirm: {
    placeholder: '写一句感谢的话（选填，会显示在心愿墙上）',
    optional: true,
    done: '感谢您的确认',
    send: wishesApi.confirm,
  },
  dispute: {
    placeholder: '请说明哪里没有实现，社区工作人员会核实',
    done: '已提交异议',
    send: (id, w) => wishesApi.dispute(id, w ?? ''),
  },
  settle: { placeholder: '核实情况（双方都会看到）', done: '已裁定', send: (id, w) => wishesApi.settle(id, w ?? '') },
  reopen: {
    placeholder: '核实情况（双方都会看到），心愿会重回心愿墙',
    done: '已裁定',
    send: (id, w) => wishesApi.reopen(id, w ?? ''),
  },
};

/** A move with a reason, a note or thanks: 2–200 characters unless it may be left out. */
export function WrittenPanel({
  wish,
  action,
  run,
  busy,
  onClose,
}: {
  wish: WishView;
  action: WrittenAction;
  run: Run;
  busy: boolean;
  onClose: () => void;
}) {
  const config = written[action];
  const [words, setWords] = useState('');
  const [error, setError] = useState<string>();
  const submit = async () => {
    const typed = words.trim();
    const min = action === 'confirm' ? 1 : 2;
    if (!(config.optional && !typed) && [...typed].length < min) {
      setError('请至少写 2 个字');
      return;
    }
    setError(undefined);
    if (await run(config.done, () => config.send(wish.id, typed || undefined))) onClose();
  };
  return (
    <View className="card wish-card">
      <Text className="wish-card__title">{wishActionLabel[action]}</Text>
      <AtTextarea
        value={words}
        maxLength={200}
        height={140}
        disabled={busy}
        placeholder={config.placeholder}
        onChange={(v: string) => setWords(v)}
      />
      <FormError message={error} />
      <View className="wish-tools">
        <AtButton size="small" disabled={busy} onClick={onClose}>
          取消
        </AtButton>
        <AtButton size="small" type="primary" loading={busy} disabled={busy} onClick={submit}>
          确定
        </AtButton>
      </View>
    </View>
  );
}

/** 标记已实现: proof photos (at least one, uploading as picked) and a note. */
export function FulfilPanel({
  wish,
  run,
  busy,
  onClose,
}: {
  wish: WishView;
  run: Run;
  busy: boolean;
  onClose: () => void;
}) {
  const photos = usePhotoUploads({ max: 3, communityId: wish.communityId });
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const submit = async () => {
    const invalid =
      photos.items.length === 0
        ? '请至少上传 1 张实现心愿的照片'
        : photos.uploading
          ? '照片还在上传，请稍候'
          : !photos.ready
            ? '有照片未上传成功，请重试或删除'
            : [...note.trim()].length < 2
              ? '请写几句实现的情况（至少 2 个字）'
              : undefined;
    setError(invalid);
    if (invalid) return;
    const body = { note: note.trim(), mediaIds: photos.mediaIds };
    if (await run('已标记实现', () => wishesApi.fulfil(wish.id, body))) onClose();
  };
  return (
    <View className="card wish-card">
      <Text className="wish-card__title">标记已实现</Text>
      <PhotoUploader photos={photos} disabled={busy} hint="拍下送达或服务的照片（1–3 张），受助人确认后心愿圆满" />
      <AtTextarea
        value={note}
        maxLength={200}
        height={140}
        disabled={busy}
        placeholder="说说怎样实现的，例如：已把收音机送到老人家里并教会使用"
        onChange={(v: string) => setNote(v)}
      />
      <FormError message={error} />
      <View className="wish-tools">
        <AtButton size="small" disabled={busy} onClick={onClose}>
          取消
        </AtButton>
        <AtButton size="small" type="primary" loading={busy} disabled={busy || photos.uploading} onClick={submit}>
          {photos.uploading ? '图片上传中…' : '提交'}
        </AtButton>
      </View>
    </View>
  );
}

/** 认领: as whom (party member, volunteer, organisation — and which), and consent to the roll of honour. */
export function ClaimSheet({
  wish,
  run,
  busy,
  onClose,
}: {
  wish: WishView;
  run: Run;
  busy: boolean;
  onClose: () => void;
}) {
  const [as, setAs] = useState<ClaimantType | undefined>(wish.claimAs[0]);
  const [organisationId, setOrganisationId] = useState<string | undefined>(wish.organisations[0]?.id);
  const [showName, setShowName] = useState(true);
  const [error, setError] = useState<string>();
  const submit = async () => {
    const invalid = !as
      ? '请选择认领身份'
      : as === 'organisation' && !organisationId
        ? '请选择代表的爱心组织'
        : undefined;
    setError(invalid);
    if (invalid || !as) return;
    // Confirmation, disputes and messages about it reach the claimant this way.
    void askToSubscribe(['wish.updated']);
    const body = { as, showName, ...(as === 'organisation' ? { organisationId } : {}) };
    // Closed either way: lost to someone else, the page says so and shows the wish as it is now.
    await run('认领成功', () => wishesApi.claim(wish.id, body));
    onClose();
  };
  return (
    <AtFloatLayout isOpened title="认领心愿" onClose={onClose}>
      <View className="wish-page">
        {wish.claimAs.length === 0 ? (
          <Text className="wish-form__note">党员、认证志愿者或爱心组织成员可以认领心愿</Text>
        ) : (
          <View>
            <Text className="wish-form__label">认领身份</Text>
            <ChoiceChips
              options={wish.claimAs.map((value) => ({ value, label: claimantTypeLabel[value] }))}
              value={as}
              disabled={busy}
              onChange={setAs}
            />
          </View>
        )}
        {as === 'organisation' && (
          <View>
            <Text className="wish-form__label">代表的组织</Text>
            <ChoiceChips
              options={wish.organisations.map((o) => ({ value: o.id, label: o.name }))}
              value={organisationId}
              disabled={busy}
              onChange={setOrganisationId}
            />
          </View>
        )}
        <AtSwitch
          title="同意在光荣榜显示我的名字"
          checked={showName}
          disabled={busy}
          border={false}
          onChange={(v: boolean) => setShowName(v)}
        />
        <Text className="wish-form__note">
          认领后请尽快实现，逾期未实现心愿会重回心愿墙；双方可在心愿内留言，不显示电话
        </Text>
        <FormError message={error} />
        <AtButton type="primary" loading={busy} disabled={busy || wish.claimAs.length === 0} onClick={submit}>
          {busy ? '认领中…' : '确认认领'}
        </AtButton>
      </View>
    </AtFloatLayout>
  );
}

export type OpenPanel = WrittenAction | 'fulfil' | 'claim';
export const isWritten = (action: WishAction): action is WrittenAction =>
  (writtenActions as readonly string[]).includes(action);
