import { Text, View } from '@tarojs/components';
import { useCallback, useMemo, useState } from 'react';
import { AtButton } from 'taro-ui';
import { ChoiceChips, type Choice } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { toApiError } from '../../../services/api';
import { volunteerApi } from '../../../services/volunteer-api';
import { toastSuccess } from '../../../utils/toast';

/** The accept timeouts staff choose among (the service takes any whole minute from 15 min to 24 h). */
const presets = [15, 30, 60, 120, 240, 480, 720, 1440];

function durationText(minutes: number): string {
  if (minutes < 60) return `${minutes}分钟`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours}小时` : `${hours}小时${minutes % 60}分钟`;
}

/** 设置: how long a volunteer has to accept a dispatched order before it returns to dispatch. */
export function VolunteerSettingsForm({ communityId }: { communityId: string }) {
  const load = useCallback(() => volunteerApi.settings(communityId), [communityId]);
  const { data, loading, error, reload, update } = useRequest(load);
  const [chosen, setChosen] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const current = chosen ?? (data ? String(data.acceptTimeoutMinutes) : undefined);
  const options = useMemo((): Choice<string>[] => {
    // A value set some other way (through the API) is shown among the choices too.
    const values = [...new Set([...presets, ...(data ? [data.acceptTimeoutMinutes] : [])])].sort((a, b) => a - b);
    return values.map((m) => ({ value: String(m), label: durationText(m) }));
  }, [data]);

  const save = async () => {
    if (!current) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const saved = await volunteerApi.saveSettings(communityId, { acceptTimeoutMinutes: Number(current) });
      update(() => saved);
      setChosen(undefined);
      toastSuccess('已保存');
    } catch (err) {
      setSaveError(toApiError(err).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageState loading={loading} error={error} onRetry={reload}>
      <View className="card volunteer-settings">
        <Text className="volunteer-settings__label">接单时限</Text>
        <ChoiceChips options={options} value={current} disabled={saving} onChange={setChosen} />
        <Text className="volunteer-settings__note">
          派单后志愿者须在此时间内接单，超时自动退回派单队列；修改只影响之后的派单。
        </Text>
        <FormError message={saveError} />
        <AtButton
          type="primary"
          loading={saving}
          disabled={saving || !data || current === String(data.acceptTimeoutMinutes)}
          onClick={save}
        >
          {saving ? '保存中…' : '保存'}
        </AtButton>
      </View>
    </PageState>
  );
}
