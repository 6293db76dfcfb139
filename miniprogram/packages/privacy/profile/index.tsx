import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton, AtInput } from 'taro-ui';
import { useState } from 'react';
import { normalisePhone } from '../../../../shared/masking';
import type { Me } from '../../../../shared/schemas/people';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { useSession } from '../../../hooks/use-session';
import { toApiError } from '../../../services/api';
import { privacyApi } from '../../../services/privacy-api';
import { saveMe } from '../../../services/session';
import { toastSuccess } from '../../../utils/toast';
import '../privacy.scss';

/**
 * 我的资料 (查看和更正, PIPL Art. 46): the 称呼 other residents see and the phone number (shown masked; a new one
 * replaces it). Sends only what changed (PATCH /me); refused, the form keeps what was typed.
 */
function ProfileForm({ me }: { me: Me }) {
  const [name, setName] = useState(me.displayName);
  const [phone, setPhone] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const save = async () => {
    const displayName = name.trim();
    if (displayName.length < 1 || displayName.length > 20) return setError('称呼请填写 1–20 个字');
    const normalised = phone.trim() ? normalisePhone(phone) : undefined;
    if (phone.trim() && !normalised) return setError('请填写正确的手机号（11 位）');
    const body = {
      ...(displayName !== me.displayName ? { displayName } : {}),
      ...(normalised ? { phone: normalised } : {}),
    };
    if (Object.keys(body).length === 0) return setError('没有需要保存的修改');
    setError(undefined);
    setSaving(true);
    try {
      saveMe(await privacyApi.updateProfile(body));
    } catch (err) {
      setSaving(false);
      return setError(toApiError(err).message);
    }
    setSaving(false);
    setPhone('');
    toastSuccess('已保存');
    void Taro.navigateBack().catch(() => undefined);
  };

  return (
    <View className="privacy">
      <View className="card privacy__card">
        <Text className="privacy__label">称呼</Text>
        <Text className="privacy__meta">其他居民看到的名字；在公开页面上会打码显示（如“王**”）。</Text>
        <AtInput
          name="displayName"
          className="privacy__confirm"
          placeholder="您的称呼"
          value={name}
          maxLength={20}
          border={false}
          disabled={saving}
          onChange={(value: string) => setName(value)}
        />
        <Text className="privacy__label">手机号</Text>
        <Text className="privacy__meta">
          {me.phoneMasked ? `当前：${me.phoneMasked}。` : '尚未填写。'}
          其他居民看不到您的手机号。
        </Text>
        <AtInput
          name="phone"
          type="phone"
          className="privacy__confirm"
          placeholder={me.phoneMasked ? '输入新手机号以更正' : '输入手机号（选填）'}
          value={phone}
          border={false}
          disabled={saving}
          onChange={(value: string) => setPhone(value)}
        />
        <FormError message={error} />
        <AtButton type="primary" loading={saving} disabled={saving} onClick={() => void save()}>
          保存
        </AtButton>
      </View>
    </View>
  );
}

export default function ProfilePage() {
  const { me } = useSession();
  return <RequireLogin text="登录后查看和更正您的资料">{me && <ProfileForm me={me} />}</RequireLogin>;
}
