import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { AtButton, AtInput, AtTextarea } from 'taro-ui';
import { useEffect, useState } from 'react';
import type { TopicView } from '../../../../shared/schemas/deliberation';
import { topicKindLabel, TopicKind } from '../../../../shared/votes';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { PhotoUploader, usePhotoUploads } from '../../../components/photo-uploader';
import { useRequest } from '../../../hooks/use-request';
import { useSubmit } from '../../../hooks/use-submit';
import { api } from '../../../services/api';
import { deliberationApi } from '../../../services/deliberation-api';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { routes } from '../../../utils/routes';
import { toastSuccess } from '../../../utils/toast';
import '../deliberation.scss';

const kinds = Object.values(TopicKind).map((value) => ({ value, label: topicKindLabel[value] }));
const KIND_NOTES: Record<TopicView['kind'], string> = {
  public: '由本楼（小区）住户按户表决',
  owners_ordinary: '业主按《民法典》第278条表决：专有面积与人数双过半',
  owners_major: '维修资金、改建重建、改变共有部分用途等：专有面积与人数均需四分之三以上同意',
};

/** 民提: a topic on one of my places, with its kind, title, text and optional photos; nothing lost on failure. */
function ProposeForm({ initialNode }: { initialNode?: string }) {
  const channels = useRequest(api.channels);
  const photos = usePhotoUploads({ max: 3 });
  const [nodeId, setNodeId] = useState(initialNode);
  const [kind, setKind] = useState<TopicView['kind']>('public');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const { busy: submitting, error, setError, run } = useSubmit([nodeId, kind, title, text, photos.items.length]);
  useEffect(prepareSubscribe, []);
  const places = (channels.data ?? []).map((c) => ({ value: c.node.id, label: `${c.label} · ${c.node.name}` }));
  const place = nodeId ?? places[0]?.value;

  async function submit() {
    if (!place) return setError('请选择议题所属的楼栋或小区');
    if ([...title.trim()].length < 4) return setError('标题至少 4 个字');
    if ([...text.trim()].length < 10) return setError('请把事情说清楚（至少 10 个字）');
    if (photos.uploading) return setError('照片还在上传，请稍候');
    // WeChat shows its consent dialog only from the tap itself: ask before anything is awaited.
    void askToSubscribe(['topic.updated']);
    const body = { nodeId: place, kind, title: title.trim(), text: text.trim(), mediaIds: photos.mediaIds };
    const topic = await run(() => deliberationApi.propose(body));
    if (!topic) return;
    toastSuccess('已发起');
    void Taro.redirectTo({ url: routes.topic(topic.id) });
  }

  return (
    <PageState
      loading={channels.loading}
      error={channels.error}
      onRetry={channels.reload}
      empty={places.length === 0}
      emptyText="加入社区后才能发起议题"
    >
      <View className="delib-card">
        <Text className="delib-card__title">议题所属</Text>
        <ChoiceChips options={places} value={place ?? ''} onChange={setNodeId} />
        <Text className="delib-card__title">事项类型</Text>
        <ChoiceChips options={kinds} value={kind} onChange={setKind} />
        <Text className="delib-card__note">{KIND_NOTES[kind]}</Text>
      </View>
      <View className="delib-card">
        <AtInput
          name="title"
          title="标题"
          placeholder="一句话说明议题"
          value={title}
          maxlength={40}
          onChange={(v: string) => setTitle(v)}
        />
        <AtTextarea
          value={text}
          maxLength={2000}
          height={240}
          placeholder="背景、建议做法、费用来源……"
          onChange={setText}
        />
        <PhotoUploader photos={photos} disabled={submitting} hint="可附上现场照片（选填）" />
      </View>
      <FormError message={error} />
      <AtButton type="primary" loading={submitting} disabled={submitting} onClick={submit}>
        {submitting ? '提交中…' : '发起议题'}
      </AtButton>
      <Text className="delib-card__note">发起后14天内需有足够住户附议，或经楼长、社区采纳，才能进入议程。</Text>
    </PageState>
  );
}

export default function ProposePage() {
  const { params } = useRouter();
  return (
    <View className="delib-page">
      <RequireLogin text="登录后发起议题">
        <ProposeForm initialNode={params.node || undefined} />
      </RequireLogin>
    </View>
  );
}
