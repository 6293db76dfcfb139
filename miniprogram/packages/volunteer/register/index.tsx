import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { AtButton, AtInput } from 'taro-ui';
import { normalisePhone } from '../../../../shared/masking';
import {
  dayPartLabel,
  dayParts,
  serviceKindLabel,
  serviceKinds,
  weekdayLabel,
  type AvailabilitySlot,
  type ServiceKind,
} from '../../../../shared/volunteers';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { reportApi, toApiError } from '../../../services/api';
import { volunteerApi } from '../../../services/volunteer-api';
import { ToggleTags } from '../components/toggle-tags';
import '../components/form.scss';

const skills = serviceKinds.map((kind) => ({ value: kind, label: serviceKindLabel[kind] }));
/** Slots as 'day-part' keys for the toggles. */
const slots = [1, 2, 3, 4, 5, 6, 0].flatMap((day) =>
  dayParts.map((part) => ({ value: `${day}-${part}`, label: `${weekdayLabel[day]}${dayPartLabel[part]}` })),
);
const toSlot = (key: string): AvailabilitySlot => {
  const [day, part] = key.split('-') as [string, AvailabilitySlot['part']];
  return { day: Number(day), part };
};

/** The community of my home and its estate, to choose where I serve. */
async function areasOf(unitId: string | undefined) {
  if (!unitId) return [];
  const { breadcrumb } = await reportApi.node(unitId);
  const community = breadcrumb.find((n) => n.kind === 'community');
  const estate = breadcrumb.find((n) => n.kind === 'estate');
  return [
    ...(community ? [{ value: community.id, label: `整个${community.name}` }] : []),
    ...(estate ? [{ value: estate.id, label: `仅${estate.name}` }] : []),
  ];
}

function RegisterForm() {
  const { me } = useSession();
  const unitId = me?.households[0]?.unit.id;
  const loadAreas = useCallback(() => areasOf(unitId), [unitId]);
  const areas = useRequest(loadAreas);
  const [realName, setRealName] = useState('');
  const [phone, setPhone] = useState('');
  const [chosen, setChosen] = useState<ServiceKind[]>([]);
  const [area, setArea] = useState<string>();
  const [available, setAvailable] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const submit = async () => {
    const number = normalisePhone(phone);
    const problem =
      [...realName.trim()].length < 2
        ? '请填写真实姓名'
        : !number
          ? '请填写正确的手机号'
          : chosen.length === 0
            ? '请至少选择一项技能'
            : !area
              ? '请选择服务范围'
              : undefined;
    if (problem) return setError(problem);
    setSubmitting(true);
    setError(undefined);
    try {
      await volunteerApi.register({
        realName: realName.trim(),
        phone: number!,
        skills: chosen,
        areaIds: [area!],
        availability: available.map(toSlot),
      });
      void Taro.showToast({ title: '已提交，待社区认证', icon: 'none' });
      void Taro.navigateBack();
    } catch (err) {
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  };

  return (
    <PageState
      loading={areas.loading}
      error={areas.error}
      onRetry={areas.reload}
      empty={areas.data?.length === 0}
      emptyText="请先加入社区（绑定住址）再注册志愿者"
    >
      <View className="volunteer-form">
        <View className="card">
          <AtInput
            name="realName"
            title="真实姓名"
            value={realName}
            maxLength={20}
            disabled={submitting}
            onChange={(v: string) => setRealName(v)}
          />
          <AtInput
            name="phone"
            title="手机号"
            type="phone"
            value={phone}
            disabled={submitting}
            onChange={(v: string) => setPhone(v)}
          />
          <Text className="volunteer-form__note">手机号仅社区工作人员可见，其他人看到的是打码后的号码</Text>
        </View>
        <View className="card">
          <Text className="volunteer-form__label">我能提供的服务</Text>
          <ToggleTags options={skills} value={chosen} disabled={submitting} onChange={setChosen} />
        </View>
        <View className="card">
          <Text className="volunteer-form__label">服务范围</Text>
          <ChoiceChips options={areas.data ?? []} value={area} disabled={submitting} onChange={setArea} />
        </View>
        <View className="card">
          <Text className="volunteer-form__label">每周空闲时间</Text>
          <ToggleTags options={slots} value={available} disabled={submitting} onChange={setAvailable} />
        </View>
        <FormError message={error} />
        <AtButton type="primary" loading={submitting} disabled={submitting} onClick={submit}>
          {submitting ? '提交中…' : '提交注册'}
        </AtButton>
      </View>
    </PageState>
  );
}

export default function RegisterPage() {
  return (
    <RequireLogin text="登录后注册成为志愿者">
      <RegisterForm />
    </RequireLogin>
  );
}
