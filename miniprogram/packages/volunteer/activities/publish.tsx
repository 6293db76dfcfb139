import { Input, Text, View } from '@tarojs/components';
import dayjs from 'dayjs';
import { useState } from 'react';
import { AtButton, AtInput } from 'taro-ui';
import type { ActivityView } from '../../../../shared/schemas/volunteers';
import { activityKindLabel, activityKinds, type ActivityKind } from '../../../../shared/volunteers';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { toApiError } from '../../../services/api';
import { volunteerApi } from '../../../services/volunteer-api';

const kinds = activityKinds.map((kind) => ({ value: kind, label: activityKindLabel[kind] }));
/** The next week's Saturday and Sunday mornings and weekday evenings, as people plan activities. */
const starts = Array.from({ length: 7 }, (_, d) =>
  dayjs()
    .startOf('day')
    .add(d + 1, 'day'),
)
  .map((day) => day.hour([0, 6].includes(day.day()) ? 9 : 19))
  .map((at) => ({ value: at.toISOString(), label: at.format('M月D日 HH:mm') }));
const lengths = [1, 2, 3].map((hours) => ({ value: String(hours), label: `${hours} 小时` }));

/** Staff publish an activity on their community: what, when, how long, how many places. */
export function PublishActivity({
  communityId,
  onPublished,
}: {
  communityId: string;
  onPublished: (a: ActivityView) => void;
}) {
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<ActivityKind>('cleanup');
  const [start, setStart] = useState(starts[0]!.value);
  const [length, setLength] = useState('2');
  const [places, setPlaces] = useState('10');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const publish = async () => {
    if ([...title.trim()].length < 2) return setError('请填写活动名称');
    if (!(Number(places) >= 1)) return setError('请填写名额');
    setBusy(true);
    setError(undefined);
    try {
      const published = await volunteerApi.publishActivity({
        nodeId: communityId,
        title: title.trim(),
        kind,
        description: '',
        startAt: start,
        endAt: dayjs(start).add(Number(length), 'hour').toISOString(),
        places: Number(places),
      });
      setTitle('');
      onPublished(published);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card activity-publish">
      <Text className="activity-publish__title">发布志愿活动</Text>
      <AtInput
        name="title"
        title="活动名称"
        value={title}
        maxLength={30}
        disabled={busy}
        onChange={(v: string) => setTitle(v)}
      />
      <ChoiceChips options={kinds} value={kind} disabled={busy} onChange={setKind} />
      <ChoiceChips options={starts} value={start} disabled={busy} onChange={setStart} />
      <ChoiceChips options={lengths} value={length} disabled={busy} onChange={setLength} />
      <Input
        className="activity-card__input"
        type="number"
        value={places}
        placeholder="名额"
        onInput={(e) => setPlaces(e.detail.value.replace(/\D/g, ''))}
      />
      <FormError message={error} />
      <AtButton type="primary" loading={busy} disabled={busy} onClick={publish}>
        发布
      </AtButton>
    </View>
  );
}
