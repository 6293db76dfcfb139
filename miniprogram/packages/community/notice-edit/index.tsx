import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { AtButton, AtInput, AtSwitch } from 'taro-ui';
import { useCallback, useMemo, useState } from 'react';
import { RequireLogin } from '../../../components/login-prompt';
import { RestoredDraft } from '../../../components/restored-draft';
import { readFormDraft, useFormDraft } from '../../../hooks/use-form-draft';
import { useSession } from '../../../hooks/use-session';
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

/** What is kept of a notice being written: its text, and its photos once uploaded. */
interface NoticeDraft {
  title: string;
  body: string;
  pinned: boolean;
  photos: { key: string; mediaId: string; url: string }[];
}

const isNoticeDraft = (value: unknown): value is NoticeDraft =>
  typeof (value as NoticeDraft)?.title === 'string' &&
  typeof (value as NoticeDraft).body === 'string' &&
  Array.isArray((value as NoticeDraft).photos);

function NoticeForm({ channelId, keepAs, kept }: { channelId: string; keepAs: string; kept: NoticeDraft | undefined }) {
  const [title, setTitle] = useState(kept?.title ?? '');
  const [body, setBody] = useState(kept?.body ?? '');
  const [pinned, setPinned] = useState(kept?.pinned ?? false);
  const [initialPhotos] = useState(() =>
    kept?.photos.map((p) => ({ ...p, path: p.url, status: 'done' as const, progress: 100 })),
  );
  // Kept here, so a failed submit keeps the photos too.
  const photos = usePhotoUploads({ max: 3, initial: initialPhotos });
  const { busy: submitting, error, setError, run } = useSubmit([title, body, pinned, photos.mediaIds]);
  const draft = useMemo((): NoticeDraft | undefined => {
    const uploaded = photos.items.flatMap(({ key, mediaId, url }) => (mediaId && url ? [{ key, mediaId, url }] : []));
    return title || body || uploaded.length > 0 ? { title, body, pinned, photos: uploaded } : undefined;
  }, [title, body, pinned, photos.items]);
  const { discard } = useFormDraft(keepAs, draft);

  const submit = useCallback(async () => {
    const { mediaIds } = photos;
    const notice = { title: title.trim(), body: body.trim(), pinned, ...(mediaIds.length > 0 ? { mediaIds } : {}) };
    const invalid = problem(notice.title, notice.body, photos);
    setError(invalid);
    if (invalid) return;
    const posted = await run(() => api.postNotice(channelId, notice));
    if (!posted) return;
    discard();
    // Content checks may hold it for staff: then only its author sees it until it is cleared.
    toastSuccess(posted.moderation === 'review' ? '已提交审核' : '已发布');
    void Taro.navigateBack();
  }, [channelId, title, body, pinned, photos, setError, run, discard]);

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

/** The form, with what was being written for this channel when the user last left (清空 starts afresh). */
function KeptNoticeForm({ channelId }: { channelId: string }) {
  const { me } = useSession();
  const keepAs = `linli.notice-form.${me?.id ?? ''}.${channelId}`;
  const [kept, setKept] = useState(() => readFormDraft(keepAs, isNoticeDraft));
  const [generation, setGeneration] = useState(0);
  const clear = () => {
    setKept(undefined);
    setGeneration((n) => n + 1);
  };
  return (
    <>
      {kept && <RestoredDraft onClear={clear} />}
      <NoticeForm key={generation} channelId={channelId} keepAs={keepAs} kept={kept} />
    </>
  );
}

export default function NoticeEditPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后才能发布公告">
      <KeptNoticeForm channelId={params.channel ?? ''} />
    </RequireLogin>
  );
}
