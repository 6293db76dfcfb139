import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { AtButton, AtInput } from 'taro-ui';
import type { NodeRef } from '../../../../shared/schemas/people';
import type { WishSettingsBody, WishSettingsView } from '../../../../shared/schemas/wishes';
import { WISH_SETTING_BOUNDS } from '../../../../shared/wishes';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { CommunitySettings } from '../../../components/community-settings';
import { useSubmit } from '../../../hooks/use-submit';
import { wishesApi } from '../../../services/wishes-api';
import { toastSuccess } from '../../../utils/toast';
import { StaffCommunity } from '../components/community';
import '../wishes.scss';

type Key = keyof WishSettingsBody;
const fields: { key: Key; title: string; unit: string; note: string }[] = [
  { key: 'maxValueYuan', title: '价值上限', unit: '元', note: '一个心愿的估计价值不能超过它' },
  { key: 'claimLapseDays', title: '认领期限', unit: '天', note: '认领后这么多天未实现，心愿重回心愿墙' },
  { key: 'autoConfirmDays', title: '自动确认', unit: '天', note: '标记实现后这么多天受助方未确认，自动确认' },
];

/** What is wrong, in words, or the body to send. */
function check(typed: Record<Key, string>): string | WishSettingsBody {
  const body = {} as WishSettingsBody;
  for (const { key, title } of fields) {
    const [min, max] = WISH_SETTING_BOUNDS[key];
    const value = Number(typed[key]);
    if (!/^\d+$/.test(typed[key].trim()) || value < min || value > max) return `${title}需为 ${min}–${max} 的整数`;
    body[key] = value;
  }
  return body;
}

function SettingsForm({ community, initial }: { community: NodeRef; initial: WishSettingsView }) {
  const [typed, setTyped] = useState<Record<Key, string>>({
    maxValueYuan: String(initial.maxValueYuan),
    claimLapseDays: String(initial.claimLapseDays),
    autoConfirmDays: String(initial.autoConfirmDays),
  });
  const { busy, error, setError, run } = useSubmit();
  const save = async () => {
    const body = check(typed);
    if (typeof body === 'string') return setError(body);
    if (await run(() => wishesApi.saveSettings(community.id, body))) toastSuccess('已保存');
  };
  return (
    <View className="wish-page wish-form">
      <View className="card">
        <Text className="wish-form__label">{community.name} · 微心愿设置</Text>
        {fields.map((field) => (
          <View key={field.key}>
            <AtInput
              name={field.key}
              title={field.title}
              type="number"
              placeholder={field.unit}
              value={typed[field.key]}
              disabled={busy || !initial.canEdit}
              onChange={(v: string) => setTyped((t) => ({ ...t, [field.key]: v }))}
            >
              <Text>{field.unit}</Text>
            </AtInput>
            <Text className="wish-form__note">{field.note}</Text>
          </View>
        ))}
        <Text className="wish-form__note">修改只影响之后的心愿、认领和实现</Text>
      </View>
      <FormError message={error} />
      {initial.canEdit && (
        <AtButton type="primary" loading={busy} disabled={busy} onClick={save}>
          {busy ? '保存中…' : '保存'}
        </AtButton>
      )}
    </View>
  );
}

export default function WishSettingsPage() {
  return (
    <RequireLogin text="登录后设置微心愿">
      <StaffCommunity>
        {(community) => (
          <CommunitySettings community={community} load={wishesApi.settings}>
            {(settings) => <SettingsForm community={community} initial={settings} />}
          </CommunitySettings>
        )}
      </StaffCommunity>
    </RequireLogin>
  );
}
