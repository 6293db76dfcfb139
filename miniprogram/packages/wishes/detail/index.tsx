import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { AtButton } from 'taro-ui';
import { ErrorCode } from '../../../../shared/errors';
import type { WishView } from '../../../../shared/schemas/wishes';
import { claimantTypeLabel, wishActionLabel, wishKindLabel, type WishAction } from '../../../../shared/wishes';
import { FlagAction, FlagSheet, useFlags } from '../../../components/flag-sheet';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { PhotoGrid } from '../../../components/photo-grid';
import { useMoves } from '../../../hooks/use-moves';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { prepareSubscribe } from '../../../services/subscribe';
import { wishesApi } from '../../../services/wishes-api';
import { formatDateTime, placePath } from '../../../utils/format';
import { openPage, routes } from '../../../utils/routes';
import { StateBadge, Thanks, WantedBy } from '../components/wish-card';
import { ClaimSheet, FulfilPanel, isWritten, WrittenPanel, type OpenPanel } from './panels';
import { Thread } from './thread';
import '../wishes.scss';

/** Someone else moved first: the answer says so and the page shows the wish as it is now. */
const STALE: string[] = [ErrorCode.WISH_TAKEN, ErrorCode.WISH_STATE];

const confirmedBy = { beneficiary: '受助方确认', auto: '到期未确认，已自动确认', staff: '社区裁定已实现' } as const;

/** The moves shown as buttons, in this order; the others open a panel or another page. */
const primary: readonly WishAction[] = ['claim', 'fulfil', 'confirm', 'publish', 'resubmit', 'settle'];

function Facts({ wish, flag }: { wish: WishView; flag?: ReactNode }) {
  const { beneficiary, claim, fulfilment, confirmation, dispute } = wish;
  const inside = [beneficiary.name, beneficiary.room, beneficiary.phone].filter(Boolean).join(' · ');
  const live = wish.state === 'published' || wish.state === 'pending' || wish.state === 'returned';
  return (
    <View className="card wish-card">
      <View className="wish-card__head">
        <Text className="wish-badge">{wishKindLabel[wish.kind]}</Text>
        <StateBadge state={wish.state} />
        {live && <WantedBy date={wish.wantedBy} />}
        {flag}
      </View>
      <Text className="wish-card__text">{wish.text}</Text>
      <PhotoGrid media={wish.media} className="wish-card__photos" photoClassName="wish-card__photo" />
      {wish.media.some((m) => !m.url) && <Text className="wish-card__note">有照片正在审核中，通过后显示</Text>}
      <Text className="wish-card__fact">受助对象：{beneficiary.label}</Text>
      {inside && <Text className="wish-card__fact">受助人信息：{inside}（仅相关人员可见）</Text>}
      {wish.onBehalf && (
        <Text className="wish-card__fact">
          代录：{wish.proxyName ? `由${wish.proxyName}代为录入` : '由社区代为录入'}
        </Text>
      )}
      <Text className="wish-card__fact">估计价值：{wish.valueYuan} 元</Text>
      <Text className="wish-card__fact">期望日期：{wish.wantedBy}</Text>
      <Text className="wish-card__fact">所在小区：{placePath(wish.place)}</Text>
      {wish.publishedAt && <Text className="wish-card__note">发布于 {formatDateTime(wish.publishedAt)}</Text>}
      {wish.reviewNote && <Text className="wish-alert">社区意见：{wish.reviewNote}</Text>}
      {claim && (
        <Text className="wish-card__fact">
          认领：{claimantTypeLabel[claim.type]} {claim.isMe ? '我' : claim.name}
          {wish.state === 'claimed' ? `，请于 ${formatDateTime(claim.lapsesAt)} 前实现` : ''}
        </Text>
      )}
      {fulfilment && (
        <View className="wish-card">
          <Text className="wish-card__fact">实现情况：{fulfilment.note}</Text>
          <PhotoGrid media={fulfilment.media} className="wish-card__photos" photoClassName="wish-card__photo" />
          {wish.state === 'fulfilled' && (
            <Text className="wish-card__note">
              {formatDateTime(fulfilment.at)} 标记实现；未确认的将于 {formatDateTime(fulfilment.autoConfirmsAt)}{' '}
              自动确认
            </Text>
          )}
        </View>
      )}
      {dispute && (
        <Text className="wish-card__fact">
          异议：{dispute.reason}
          {dispute.decision
            ? `（社区${dispute.decision.outcome === 'settle' ? '裁定已实现' : '裁定未实现'}：${dispute.decision.note}）`
            : '（等待社区核实）'}
        </Text>
      )}
      {confirmation && (
        <Text className="wish-card__note">
          {confirmedBy[confirmation.by]} · {formatDateTime(confirmation.at)}
        </Text>
      )}
      <Thanks wish={wish} />
      <Text className="wish-card__link" onClick={() => openPage(routes.wishTimeline(wish.id))}>
        处理记录 ›
      </Text>
    </View>
  );
}

function Wish({ id }: { id: string }) {
  const load = useCallback(() => wishesApi.get(id), [id]);
  const { data: wish, loading, error, reload, refresh, update } = useRequest(load);
  // Back from editing it (resubmitted) or from the timeline.
  useRefreshOnShow(refresh);
  const { run, busy, notice: stale } = useMoves({ update, refresh }, STALE);
  const [open, setOpen] = useState<OpenPanel>();
  const [hidden, setHidden] = useState(false);
  const flags = useFlags(useCallback(() => setHidden(true), []));
  const close = useCallback(() => setOpen(undefined), []);
  useEffect(prepareSubscribe, []);

  const publish = async () => {
    const { confirm } = await Taro.showModal({ title: '审核发布', content: '确认内容合理，发布到心愿墙？' });
    if (confirm) void run('已发布', () => wishesApi.publish(id));
  };
  const tap = (action: WishAction) => {
    if (action === 'publish') return void publish();
    if (action === 'resubmit') return openPage(routes.wishNew(id));
    setOpen(action === 'claim' || action === 'fulfil' || isWritten(action) ? action : undefined);
  };

  if (hidden) return <PageState loading={false} empty emptyText="已提交举报，该心愿等待社区核实" />;
  return (
    <PageState loading={loading && !wish} error={wish ? undefined : error} onRetry={reload}>
      {wish && (
        <View className="wish-page">
          {stale && <Text className="wish-alert">{stale}</Text>}
          <Facts
            wish={wish}
            flag={
              !wish.isMine && !wish.claim?.isMe && wish.state === 'published' ? (
                <FlagAction
                  className="wish-flag"
                  flagged={flags.isFlagged(wish.id)}
                  onFlag={() => flags.open({ kind: 'wish', id: wish.id, subject: wish.text })}
                />
              ) : undefined
            }
          />
          {open === 'fulfil' && <FulfilPanel wish={wish} run={run} busy={busy} onClose={close} />}
          {open && isWritten(open) && (
            <WrittenPanel key={open} wish={wish} action={open} run={run} busy={busy} onClose={close} />
          )}
          {open === 'claim' && <ClaimSheet wish={wish} run={run} busy={busy} onClose={close} />}
          {wish.actions.length > 0 && !open && (
            <View className="wish-tools">
              {[...wish.actions]
                .sort((a, b) => Number(primary.includes(b)) - Number(primary.includes(a)))
                .map((action) => (
                  <AtButton
                    key={action}
                    type={primary.includes(action) ? 'primary' : 'secondary'}
                    disabled={busy}
                    onClick={() => tap(action)}
                  >
                    {action === 'reopen' ? '裁定未实现' : wishActionLabel[action]}
                  </AtButton>
                ))}
            </View>
          )}
          {wish.canMessage && <Thread wish={wish} />}
          <FlagSheet flags={flags} />
        </View>
      )}
    </PageState>
  );
}

export default function WishPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看心愿">
      <Wish id={params.id ?? ''} />
    </RequireLogin>
  );
}
