import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { AtButton, AtInput, AtSwitch } from 'taro-ui';
import { useCallback, useState } from 'react';
import { RequireLogin } from '../../../components/login-prompt';
import { PhotoUploader, usePhotoUploads, type PhotoUploads } from '../../../components/photo-uploader';
import { LimitedTextarea } from '../../../components/limited-textarea';
import { useSubmit } from '../../../hooks/use-submit';
import { api } from '../../../services/api';
import { FormError } from '../../../components/form-error';
import { toastSuccess } from '../../../utils/toast';
import { NOTICE_BODY_MAX, NOTICE_TITLE_MAX, noticeTextProblem } from '../notice-text';
import './index.scss';

/** The service's limits (PostNoticeBody), checked here first so the user learns before sending. */
function problem(title: string, body: string, photos: PhotoUploads): string | undefined {
  const text = noticeTextProblem(title, body);
  if (text) return text;
  if (photos.uploading) return '照片还在上传，请稍候';
  if (photos.mediaIds.length < photos.items.length) return '有照片没有上传成功，请重试或删除';
  return undefined;
}

function NoticeForm({ channelId }: { channelId: string }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [pinned, setPinned] = useState(false);
  // Kept here, so a failed submit keeps the photos too.
  const photos = usePhotoUploads({ max: 3 });
  const { busy: submitting, error, setError, run } = useSubmit([title, body, pinned, photos.mediaIds]);

  const submit = useCallback(async () => {
    const { mediaIds } = photos;
    const notice = { title: title.trim(), body: body.trim(), pinned, ...(mediaIds.length > 0 ? { mediaIds } : {}) };
    const invalid = problem(notice.title, notice.body, photos);
    setError(invalid);
    if (invalid) return;
    const posted = await run(() => api.postNotice(channelId, notice));
    if (!posted) return;
    // Content checks may hold it for staff: then only its author sees it until it is cleared.
    toastSuccess(posted.moderation === 'review' ? '已提交审核' : '已发布');
    void Taro.navigateBack();
  }, [channelId, title, body, pinned, photos, setError, run]);

  return (
    <View className="notice-edit">
      <View className="card notice-edit__form">
        <AtInput
          name="title"
          title="标题"
          placeholder="2–40 个字"
          value={title}
          maxLength={NOTICE_TITLE_MAX}
          disabled={submitting}
          onChange={(value: string) => setTitle(value)}
        />
        <LimitedTextarea
          value={body}
          max={NOTICE_BODY_MAX}
          height={360}
          disabled={submitting}
          placeholder="公告正文：时间、地点、需要邻居们做什么"
          onChange={setBody}
        />
        <PhotoUploader photos={photos} disabled={submitting} hint="可附 1–3 张照片（选填），审核通过后邻居可见" />
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
