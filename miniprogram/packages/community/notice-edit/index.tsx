import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { AtButton, AtInput, AtSwitch, AtTextarea } from 'taro-ui';
import { useCallback, useState } from 'react';
import { RequireLogin } from '../../../components/login-prompt';
import { api, toApiError } from '../../../services/api';
import { FormError } from '../../../components/form-error';
import { toastSuccess } from '../../../utils/toast';
import './index.scss';

/** The service's limits (PostNoticeBody), checked here first so the user learns before sending. */
function problem(title: string, body: string): string | undefined {
  if (title.length < 2 || title.length > 40) return '标题需要 2–40 个字';
  if (body.length < 2 || body.length > 2000) return '正文需要 2–2000 个字';
  return undefined;
}

function NoticeForm({ channelId }: { channelId: string }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [pinned, setPinned] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const submit = useCallback(async () => {
    const notice = { title: title.trim(), body: body.trim(), pinned };
    const invalid = problem(notice.title, notice.body);
    setError(invalid);
    if (invalid) return;
    setSubmitting(true);
    try {
      const posted = await api.postNotice(channelId, notice);
      // Content checks may hold it for staff: then only its author sees it until it is cleared.
      toastSuccess(posted.moderation === 'review' ? '已提交审核' : '已发布');
      void Taro.navigateBack();
    } catch (err) {
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  }, [channelId, title, body, pinned]);

  return (
    <View className="notice-edit">
      <View className="card notice-edit__form">
        <AtInput
          name="title"
          title="标题"
          placeholder="2–40 个字"
          value={title}
          maxLength={40}
          disabled={submitting}
          onChange={(value: string) => setTitle(value)}
        />
        <AtTextarea
          value={body}
          maxLength={2000}
          height={360}
          disabled={submitting}
          placeholder="公告正文：时间、地点、需要邻居们做什么"
          onChange={(value: string) => setBody(value)}
        />
        <AtSwitch title="置顶" checked={pinned} disabled={submitting} onChange={(value: boolean) => setPinned(value)} />
      </View>
      <View className="page-actions">
        <FormError message={error} />
        <AtButton type="primary" loading={submitting} disabled={submitting} onClick={submit}>
          {submitting ? '发布中…' : '发布'}
        </AtButton>
      </View>
    </View>
  );
}

export default function NoticeEditPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后才能发布公告">
      <NoticeForm channelId={params.channel ?? ''} />
    </RequireLogin>
  );
}
