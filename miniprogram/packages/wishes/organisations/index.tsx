import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { AtButton, AtInput } from 'taro-ui';
import type { NodeRef } from '../../../../shared/schemas/people';
import type { OrganisationView } from '../../../../shared/schemas/wishes';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { useSubmit } from '../../../hooks/use-submit';
import { wishesApi } from '../../../services/wishes-api';
import { copyText } from '../../../utils/clipboard';
import { grantsFor } from '../../../utils/permissions';
import { toastSuccess } from '../../../utils/toast';
import { myCommunity, StaffCommunity } from '../components/community';
import '../wishes.scss';

const PHONE = /^1[3-9][0-9]{9}$/;

/** 加入爱心组织: the six-character code its staff hand out. */
function JoinByCode({ onJoined }: { onJoined: () => void }) {
  const [code, setCode] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const join = async () => {
    const typed = code.trim().toUpperCase();
    if (!/^[A-Z0-9]{6}$/.test(typed)) return setError('请输入 6 位加入码（字母或数字）');
    const joined = await run(() => wishesApi.joinOrganisation(typed));
    if (!joined) return;
    toastSuccess('已加入');
    setCode('');
    void Taro.showModal({
      title: '加入成功',
      content: `您已加入「${joined.name}」，可以代表组织认领心愿`,
      showCancel: false,
    });
    onJoined();
  };
  return (
    <View className="card wish-form">
      <Text className="wish-form__label">加入爱心组织</Text>
      <AtInput
        name="join-code"
        title="加入码"
        placeholder="组织负责人提供的 6 位码"
        value={code}
        maxLength={6}
        disabled={busy}
        onChange={(v: string) => setCode(v)}
      />
      <FormError message={error} />
      <AtButton type="primary" size="small" loading={busy} disabled={busy} onClick={join}>
        加入
      </AtButton>
    </View>
  );
}

/** Staff register an organisation: its name and contact (name and phone). */
function CreateOrganisation({ community, onCreated }: { community: NodeRef; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [contactName, setContactName] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const create = async () => {
    const body = { name: name.trim(), contactName: contactName.trim(), contactPhone: contactPhone.trim() };
    const invalid =
      [...body.name].length < 2
        ? '请填写组织名称（2–40 个字）'
        : [...body.contactName].length < 2
          ? '请填写联系人姓名'
          : !PHONE.test(body.contactPhone)
            ? '请填写正确的联系人手机号'
            : undefined;
    setError(invalid);
    if (invalid) return;
    const created = await run(async () => {
      await wishesApi.createOrganisation(community.id, body);
      return true;
    });
    if (!created) return;
    toastSuccess('已添加');
    setName('');
    setContactName('');
    setContactPhone('');
    onCreated();
  };
  return (
    <View className="card wish-form">
      <Text className="wish-form__label">登记爱心组织</Text>
      <AtInput
        name="org-name"
        title="名称"
        placeholder="例如：阳光志愿服务队"
        value={name}
        maxLength={40}
        disabled={busy}
        onChange={(v: string) => setName(v)}
      />
      <AtInput
        name="org-contact"
        title="联系人"
        placeholder="姓名"
        value={contactName}
        maxLength={20}
        disabled={busy}
        onChange={(v: string) => setContactName(v)}
      />
      <AtInput
        name="org-phone"
        title="电话"
        type="phone"
        placeholder="联系人手机号"
        value={contactPhone}
        maxLength={11}
        disabled={busy}
        onChange={(v: string) => setContactPhone(v)}
      />
      <FormError message={error} />
      <AtButton type="primary" size="small" loading={busy} disabled={busy} onClick={create}>
        添加
      </AtButton>
    </View>
  );
}

function OrganisationRow({ organisation }: { organisation: OrganisationView }) {
  const copy = (code: string) => void copyText(code);
  return (
    <View className="wish-card">
      <View className="wish-card__head">
        <Text className="wish-card__title">{organisation.name}</Text>
        {organisation.isMember && <Text className="wish-badge wish-badge--green">已加入</Text>}
      </View>
      <Text className="wish-card__fact">
        联系人：{organisation.contactName} {organisation.contactPhone} · {organisation.members} 名成员
      </Text>
      {organisation.joinCode && (
        <View className="wish-card__head">
          <Text className="wish-card__fact">加入码 {organisation.joinCode}</Text>
          <Text className="wish-card__link" onClick={() => copy(organisation.joinCode!)}>
            复制
          </Text>
        </View>
      )}
    </View>
  );
}

function Organisations({ community, manage }: { community: NodeRef; manage: boolean }) {
  const load = useCallback(() => wishesApi.organisations(community.id), [community.id]);
  const list = useRequest(load);
  const items = list.data?.items ?? [];
  return (
    <View className="wish-page">
      <JoinByCode onJoined={() => void list.refresh()} />
      {manage && <CreateOrganisation community={community} onCreated={() => void list.refresh()} />}
      <Text className="wish-form__label">{community.name}的爱心组织</Text>
      <PageState
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={items.length === 0}
        emptyText="还没有登记的爱心组织"
      >
        {items.map((o) => (
          <OrganisationRow key={o.id} organisation={o} />
        ))}
      </PageState>
    </View>
  );
}

/** A resident's community: where their household is. */
function MyOrganisations() {
  const { me } = useSession();
  const load = useCallback(() => myCommunity(me), [me]);
  const community = useRequest(load);
  return (
    <PageState
      loading={community.loading}
      error={community.error}
      onRetry={community.reload}
      empty={!community.data}
      emptyText="加入社区后可以加入爱心组织"
    >
      {community.data && <Organisations community={community.data} manage={false} />}
    </PageState>
  );
}

/** 爱心组织: anyone joins one by its code; staff register them and see their codes. */
function OrganisationsPage() {
  const { me } = useSession();
  const staff = grantsFor(me, 'wish.review').length > 0;
  return staff ? (
    <StaffCommunity>{(community) => <Organisations community={community} manage />}</StaffCommunity>
  ) : (
    <MyOrganisations />
  );
}

export default function WishOrganisationsPage() {
  return (
    <RequireLogin text="登录后加入爱心组织">
      <OrganisationsPage />
    </RequireLogin>
  );
}
