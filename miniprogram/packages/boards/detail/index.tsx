import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { AtButton, AtSwitch } from 'taro-ui';
import { entryActionLabel, type EntryAction } from '../../../../shared/boards';
import { ErrorCode } from '../../../../shared/errors';
import type { EntryView } from '../../../../shared/schemas/boards';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { PhotoGrid } from '../../../components/photo-grid';
import { useMoves } from '../../../hooks/use-moves';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { boardsApi } from '../../../services/boards-api';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { formatDateTime, placePath } from '../../../utils/format';
import { openPage, routes } from '../../../utils/routes';
import { ColourBadge, monthText, Points, StateBadge } from '../components/entry-card';
import { isWritten, PhotoPanel, WrittenPanel, type Run, type WrittenAction } from './panels';
import '../boards.scss';

/** Someone else moved first: the page shows the entry as it is now. */
const STALE: string[] = [ErrorCode.ENTRY_STATE, ErrorCode.INVALID_TRANSITION];
/** The moves shown as the main buttons, in this order. */
const primary: readonly EntryAction[] = ['confirm', 'publish', 'rectify', 'respond', 'add_info', 'uphold_appeal'];

type Open = WrittenAction | 'rectify' | 'add_info';

function Facts({ entry }: { entry: EntryView }) {
  const { subject, response, rectification, appeal } = entry;
  const inside = [subject.room, subject.personName].filter(Boolean).join(' · ');
  return (
    <View className="card board-card">
      <View className="board-card__head">
        <ColourBadge colour={entry.colour} />
        <Text className="board-card__title">{entry.act.label}</Text>
        <StateBadge state={entry.state} />
        <Points points={entry.act.points} />
      </View>
      <Text className="board-card__fact">榜上显示：{subject.label}</Text>
      {inside && <Text className="board-card__fact">住户信息：{inside}（仅相关人员可见）</Text>}
      <Text className="board-card__text">{entry.description}</Text>
      <Text className="board-card__fact">地点：{placePath(entry.place)}</Text>
      <Text className="board-card__fact">发生时间：{formatDateTime(entry.occurredAt)}</Text>
      {entry.month && <Text className="board-card__fact">上榜月份：{monthText(entry.month)}</Text>}
      {entry.state === 'notified' && entry.respondBy && (
        <Text className="board-alert">请于 {formatDateTime(entry.respondBy)} 前回应或整改，整改后不上榜</Text>
      )}
      {entry.staffNote && <Text className="board-alert">社区意见：{entry.staffNote}</Text>}
      {response && (
        <Text className="board-card__fact">
          住户回应：{response.text}（{formatDateTime(response.at)}）
        </Text>
      )}
      {rectification && (
        <View className="board-card">
          <Text className="board-card__fact">
            整改情况：{rectification.note}（{formatDateTime(rectification.at)}）
          </Text>
          <PhotoGrid media={rectification.media} className="board-card__photos" photoClassName="board-card__photo" />
        </View>
      )}
      {appeal && (
        <Text className="board-card__fact">
          申诉：{appeal.reason}
          {appeal.decision
            ? `（${appeal.decision.upheld ? '申诉成立，已撤榜更正' : '申诉不成立'}：${appeal.decision.note}）`
            : '（等待社区复核）'}
        </Text>
      )}
      {entry.publishedAt && <Text className="board-card__note">上榜于 {formatDateTime(entry.publishedAt)}</Text>}
      <Text className="board-card__link" onClick={() => openPage(routes.boardTimeline(entry.id))}>
        处理记录 ›
      </Text>
    </View>
  );
}

/**
 * The evidence photos. For staff, each one not yet cleared for publication offers 遮挡人脸/车牌 (the redaction
 * editor) or 不含人脸车牌.
 */
function Evidence({ entry, run, busy }: { entry: EntryView; run: Run; busy: boolean }) {
  const uncleared = new Set(entry.unclearedPhotoIds);
  if (entry.media.length === 0) return null;
  const markNone = async (mediaId: string) => {
    const { confirm } = await Taro.showModal({
      title: '不含人脸车牌',
      content: '确认这张照片里没有可辨认的人脸和车牌，可以公开？',
    });
    if (confirm) void run('已标记', () => boardsApi.clearPhoto(entry.id, mediaId, []));
  };
  return (
    <View className="card board-card">
      <Text className="board-card__title">证据照片</Text>
      {uncleared.size > 0 && (
        <Text className="board-card__note">上榜前，每张照片须遮挡人脸和车牌，或确认不含人脸车牌</Text>
      )}
      <View className="board-card__photos">
        {entry.media.map((photo) => (
          <View key={photo.id} className="board-photo">
            <PhotoGrid media={[photo]} className="board-card__photos" photoClassName="board-card__photo" />
            {uncleared.has(photo.id) ? (
              <View className="board-photo__tools">
                <Text onClick={() => !busy && openPage(routes.redactEntryPhoto(entry.id, photo.id))}>
                  遮挡人脸/车牌
                </Text>
                <Text onClick={() => !busy && void markNone(photo.id)}>不含人脸车牌</Text>
              </View>
            ) : (
              entry.unclearedPhotoIds.length > 0 && <Text className="board-card__note">已处理</Text>
            )}
          </View>
        ))}
      </View>
    </View>
  );
}

/** The person a red entry names: their consent to their name on the board, given or revoked at any time. */
function Consent({ entry, run, busy }: { entry: EntryView; run: Run; busy: boolean }) {
  const consent = entry.subject.consent ?? false;
  return (
    <View className="card board-card">
      <AtSwitch
        title="同意在红榜显示我的姓名"
        checked={consent}
        disabled={busy}
        border={false}
        onChange={(v: boolean) =>
          void run(v ? '已同意显示姓名' : '已撤回，不再显示姓名', () => boardsApi.consent(entry.id, v))
        }
      />
      <Text className="board-card__note">
        {consent
          ? `红榜显示您的姓名「${entry.subject.personName ?? ''}」。可随时撤回，撤回后不再显示。`
          : '未经您同意，红榜只显示「几栋几单元 一位居民」。'}
      </Text>
    </View>
  );
}

function Entry({ id }: { id: string }) {
  const load = useCallback(() => boardsApi.get(id), [id]);
  const { data: entry, loading, error, reload, refresh, update } = useRequest(load);
  // Back from the redaction editor or the timeline.
  useRefreshOnShow(refresh);
  const moves = useMoves({ update, refresh }, STALE, [ErrorCode.PHOTOS_NOT_CLEARED]);
  const { busy, notice: alert } = moves;
  const [open, setOpen] = useState<Open>();
  const close = useCallback(() => setOpen(undefined), []);
  useEffect(prepareSubscribe, []);

  const run: Run = (label, call) => {
    // The household and the nominator hear of staff's decision; WeChat asks only inside the tap.
    if (entry?.isHousehold || entry?.isNominator) void askToSubscribe(['board.updated']);
    return moves.run(label, call);
  };

  const ask = async (action: 'confirm' | 'publish') => {
    const red = entry?.colour === 'red';
    const content =
      action === 'publish'
        ? '确认上榜公示？上榜后住户可以申诉。'
        : red
          ? '确认属实？红榜条目核实后即上榜公示。'
          : '确认属实？将先告知涉及的住户，7天内可回应或整改。';
    const { confirm } = await Taro.showModal({ title: entryActionLabel[action], content });
    if (!confirm) return;
    void run(action === 'publish' ? '已上榜' : '已核实', () =>
      action === 'publish' ? boardsApi.publish(id) : boardsApi.confirm(id),
    );
  };
  const tap = (action: EntryAction) => {
    if (action === 'confirm' || action === 'publish') return void ask(action);
    if (action === 'rectify' || action === 'add_info' || isWritten(action)) setOpen(action);
  };

  return (
    <PageState loading={loading && !entry} error={entry ? undefined : error} onRetry={reload}>
      {entry && (
        <View className="board-page">
          {alert && <Text className="board-alert">{alert}</Text>}
          <Facts entry={entry} />
          <Evidence entry={entry} run={run} busy={busy} />
          {entry.isSubject && <Consent entry={entry} run={run} busy={busy} />}
          {(open === 'rectify' || open === 'add_info') && (
            <PhotoPanel key={open} entry={entry} action={open} run={run} busy={busy} onClose={close} />
          )}
          {open && isWritten(open) && (
            <WrittenPanel key={open} entry={entry} action={open} run={run} busy={busy} onClose={close} />
          )}
          {entry.actions.length > 0 && !open && (
            <View className="board-tools">
              {[...entry.actions]
                .filter((action) => action !== 'window_closes')
                .sort((a, b) => Number(primary.includes(b)) - Number(primary.includes(a)))
                .map((action) => (
                  <AtButton
                    key={action}
                    type={primary.includes(action) ? 'primary' : 'secondary'}
                    disabled={busy}
                    onClick={() => tap(action)}
                  >
                    {entryActionLabel[action]}
                  </AtButton>
                ))}
            </View>
          )}
        </View>
      )}
    </PageState>
  );
}

export default function BoardEntryPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看红黑榜条目">
      <Entry id={params.id ?? ''} />
    </RequireLogin>
  );
}
