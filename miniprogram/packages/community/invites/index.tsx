import { Image, Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { useCallback, useMemo, useState } from 'react';
import type { NodeRef } from '../../../../shared/schemas/people';
import type { InviteView } from '../../../../shared/schemas/places';
import { ChoiceChips, type Choice } from '../../../components/choice-chips';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { UnitChooser } from '../../../components/unit-chooser';
import { useConfirmedAction } from '../../../hooks/use-confirmed-action';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { api } from '../../../services/api';
import { copyText } from '../../../utils/clipboard';
import { formatDateTime, placePath } from '../../../utils/format';
import { placesFor } from '../../../utils/permissions';
import { toastError, toastSuccess } from '../../../utils/toast';
import { InviteRow } from './invite-row';
import './index.scss';

type Ttl = '24' | '168' | '720';
const ttls: Choice<Ttl>[] = [
  { value: '24', label: '1天' },
  { value: '168', label: '7天' },
  { value: '720', label: '30天' },
];

/** The invite as a WeChat mini-program code: neighbours scan it with WeChat and land on the join page. */
function InviteQrCode({ code }: { code: string }) {
  const load = useCallback(() => api.inviteQrCode(code), [code]);
  const { data, loading, error, reload } = useRequest(load);
  if (loading) return <Text className="invite-code__hint">正在生成小程序码…</Text>;
  if (error || !data)
    return (
      <Text className="invite-code__hint invite-code__retry" onClick={reload}>
        小程序码暂时生成不了，可复制邀请码发给邻居（点此重试）
      </Text>
    );
  return (
    <Image
      className="invite-code__qr"
      src={`data:${data.contentType};base64,${data.data}`}
      mode="aspectFit"
      showMenuByLongpress
      aria-label={`邀请码 ${code} 的小程序码`}
    />
  );
}

function UnitInvites({ unit, onChangeUnit }: { unit: NodeRef; onChangeUnit: () => void }) {
  const load = useCallback(() => api.invites(unit.id), [unit.id]);
  const { data, loading, error, reload, update } = useRequest(load);
  const [ttl, setTtl] = useState<Ttl>('168');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<InviteView>();
  const { pending: revoking, run } = useConfirmedAction();

  const create = useCallback(async () => {
    setCreating(true);
    try {
      const invite = await api.createInvite(unit.id, Number(ttl));
      setCreated(invite);
      update((list) => [invite, ...(list ?? [])]);
      toastSuccess('已生成');
    } catch (err) {
      toastError(err);
    } finally {
      setCreating(false);
    }
  }, [unit.id, ttl, update]);

  const revoke = useCallback(
    (invite: InviteView) =>
      run(
        invite.code,
        { title: '撤销邀请码', content: `撤销后 ${invite.code} 不能再用于申请加入，已提交的申请不受影响。` },
        async () => {
          await api.revokeInvite(invite.code);
          update((list) => list?.map((i) => (i.code === invite.code ? { ...i, revoked: true } : i)));
          setCreated((shown) => (shown?.code === invite.code ? undefined : shown));
        },
        '已撤销',
      ),
    [run, update],
  );

  return (
    <View>
      <View className="invites__trail">
        <Text className="invites__trail-path">{placePath(unit)}</Text>
        <Text className="invites__trail-up" onClick={onChangeUnit}>
          更换单元
        </Text>
      </View>

      <View className="card invites__create">
        {created ? (
          <View className="invite-code">
            <Text className="invite-code__label">邀请码</Text>
            <Text className="invite-code__value" selectable userSelect>
              {created.code}
            </Text>
            <InviteQrCode code={created.code} />
            <Text className="invite-code__hint">
              有效期至 {formatDateTime(created.expiresAt)}。邻居用微信扫一扫小程序码，或在「我的 ·
              加入社区」中粘贴邀请码即可申请。
            </Text>
            <AtButton type="primary" onClick={() => void copyText(created.code)}>
              复制邀请码
            </AtButton>
          </View>
        ) : (
          <Text className="invites__text">生成邀请码发给新邻居，他们凭码申请加入本单元，由您审核。</Text>
        )}
        <Text className="invites__label">有效期</Text>
        <ChoiceChips wide options={ttls} value={ttl} disabled={creating} onChange={setTtl} />
        <AtButton type={created ? 'secondary' : 'primary'} loading={creating} disabled={creating} onClick={create}>
          {created ? '再生成一个' : '生成邀请码'}
        </AtButton>
      </View>

      <Text className="section-title">最近的邀请码</Text>
      <PageState loading={loading} error={error} onRetry={reload} empty={data?.length === 0} emptyText="还没有邀请码">
        <View className="card-list">
          {data?.map((invite) => (
            <InviteRow key={invite.code} invite={invite} revoking={revoking === invite.code} onRevoke={revoke} />
          ))}
        </View>
      </PageState>
    </View>
  );
}

function InviteManager() {
  const { me } = useSession();
  const roots = useMemo(() => placesFor(me, 'invite.manage'), [me]);
  const [unit, setUnit] = useState<NodeRef>();
  const changeUnit = useCallback(() => setUnit(undefined), []);

  if (roots.length === 0)
    return <PageState loading={false} empty emptyText="楼长、单元长和社区工作者可以在这里邀请邻居" />;
  return unit ? (
    <UnitInvites unit={unit} onChangeUnit={changeUnit} />
  ) : (
    <UnitChooser roots={roots} onChoose={setUnit} prompt="选择要邀请邻居加入的单元" />
  );
}

export default function InvitesPage() {
  return (
    <View className="invites">
      <RequireLogin text="登录后邀请邻居加入">
        <InviteManager />
      </RequireLogin>
    </View>
  );
}
