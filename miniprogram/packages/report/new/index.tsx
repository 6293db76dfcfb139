import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { AtButton, AtSwitch } from 'taro-ui';
import { useEffect, useMemo, useState } from 'react';
import type { Me } from '../../../../shared/schemas/people';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { LimitedTextarea } from '../../../components/limited-textarea';
import { RequireLogin } from '../../../components/login-prompt';
import { RestoredDraft } from '../../../components/restored-draft';
import { PageState } from '../../../components/page-state';
import { PhotoUploader, usePhotoUploads, type PhotoItem } from '../../../components/photo-uploader';
import { readFormDraft, useFormDraft } from '../../../hooks/use-form-draft';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { reportApi, toApiError } from '../../../services/api';
import {
  findDraft,
  isDraft,
  markPage,
  stillOnPhone,
  submitReport,
  type ReportDraft,
  type SendProgress,
} from '../../../services/outbox';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { newIdempotencyKey } from '../../../services/upload';
import { reportRoutes } from '../../../utils/report';
import { toastSuccess } from '../../../utils/toast';
import { CategoryGrid } from './category-grid';
import { NearbyReports } from './nearby-reports';
import { useLocation } from './use-location';
import { usePlaces } from './use-places';
import './index.scss';

const MIN_TEXT = 2;
const MAX_TEXT = 500;

function progressText(progress: SendProgress | undefined): string {
  if (!progress || progress.stage === 'report') return '提交中…';
  return `上传图片 ${progress.index + 1}/${progress.total} · ${progress.percent}%`;
}

/** A draft's photos for the uploader; those gone with an earlier browser page are left out, to pick again. */
function draftPhotos(draft: ReportDraft | undefined): PhotoItem[] | undefined {
  return draft?.photos.filter(stillOnPhone).map((photo) => ({
    key: photo.key,
    path: photo.path,
    status: photo.mediaId ? 'done' : 'uploading',
    progress: photo.mediaId ? 100 : 0,
    mediaId: photo.mediaId,
  }));
}

/** Where the form keeps what is being written (one per account on the phone). */
const formDraftKey = (me: Me) => `linli.report-form.${me.id}`;

interface FormProps {
  me: Me;
  /** What to start with: a report from 待发送, or what was being written when the user last left. */
  draft: ReportDraft | undefined;
  /** Keep what is being written under this key; none when the draft comes from 待发送, which keeps it. */
  keepAs: string | undefined;
}

function ReportForm({ me, draft, keepAs }: FormProps) {
  const categories = useRequest(reportApi.categories);
  const places = usePlaces(me);
  const { location, status: locationStatus, problem: locationProblem, locate } = useLocation();
  const initialPhotos = useMemo(() => draftPhotos(draft), [draft]);
  useEffect(() => prepareSubscribe(), []);
  const photos = usePhotoUploads({ max: 3, initial: initialPhotos });

  // Chosen when the report is composed: however often it is sent, the service files it once.
  const [key] = useState(() => draft?.key ?? newIdempotencyKey());
  // A kept draft without a category stores ''.
  const [category, setCategory] = useState(draft?.body.category || undefined);
  const [description, setDescription] = useState(draft?.body.description ?? '');
  const [placeId, setPlaceId] = useState(draft?.body.nodeId ?? me.households[0]?.unit.id);
  const [showName, setShowName] = useState(draft?.body.showName ?? false);
  const [privateChoice, setPrivateChoice] = useState<boolean | undefined>(draft?.body.private);
  const [submitting, setSubmitting] = useState(false);
  const [progress, setProgress] = useState<SendProgress>();
  // The service's refusal, shown until the user changes something; what is missing, shown until it is fixed.
  const [failure, setFailure] = useState<{ message: string; inputs: string }>();
  const [missing, setMissing] = useState<string>();

  const chosen = categories.data?.find((c) => c.code === category);
  const isPrivate = privateChoice ?? chosen?.privateByDefault ?? false;
  const text = description.trim();
  const placeName = places.find((p) => p.id === placeId)?.label ?? '';

  const composed = useMemo(
    (): ReportDraft => ({
      key,
      userId: me.id,
      body: {
        category: category ?? '',
        description: text,
        nodeId: placeId,
        ...(location ? { location } : {}),
        showName,
        private: isPrivate,
      },
      photos: photos.items.map(({ key: photoKey, path, mediaId, url }) =>
        markPage({
          key: photoKey,
          // Once uploaded, the service's link: it outlives a browser page's blob: URL.
          path: url ?? path,
          mediaId,
          saved: draft?.photos.find((p) => p.key === photoKey)?.saved,
        }),
      ),
      categoryName: chosen?.name ?? '',
      placeName,
      savedAt: new Date().toISOString(),
    }),
    [key, me.id, category, text, placeId, location, showName, isPrivate, photos.items, draft, chosen, placeName],
  );
  const inputs = JSON.stringify([category, description, placeId, showName, privateChoice, photos.items.length]);
  const worthKeeping = photos.items.length > 0 || Boolean(category) || text.length > 0;
  const { discard } = useFormDraft(keepAs, worthKeeping && keepAs ? composed : undefined);

  const problem = (): string | undefined => {
    if (photos.items.length === 0) return '请至少拍一张照片';
    if (photos.items.some((item) => item.permanent)) return '有照片无法上传，请删除后再提交';
    if (!chosen) return '请选择问题分类';
    if (text.length < MIN_TEXT || text.length > MAX_TEXT) return `请用 ${MIN_TEXT}–${MAX_TEXT} 个字描述问题`;
    return undefined;
  };

  const submit = async () => {
    const invalid = problem();
    setMissing(invalid);
    setFailure(undefined);
    if (invalid || !chosen) return;
    setSubmitting(true);
    setProgress(undefined);
    // WeChat shows its consent dialog only from the tap itself: ask before anything is awaited.
    void askToSubscribe(['report.updated']);
    try {
      const outcome = await submitReport(composed, setProgress);
      // Filed, or kept in 待发送: the form's own copy is no longer needed.
      discard();
      if ('sent' in outcome) {
        toastSuccess(outcome.sent.moderation === 'review' ? '已提交审核' : '已提交');
        void Taro.redirectTo({ url: reportRoutes.detail(outcome.sent.id) });
      } else {
        void Taro.showToast({ title: '暂无网络，已存入待发送，联网后自动提交', icon: 'none', duration: 2500 });
        void Taro.navigateBack();
      }
    } catch (err) {
      setFailure({ message: toApiError(err).message, inputs });
      setSubmitting(false);
    }
  };
  const current = problem();
  const error = failure?.inputs === inputs ? failure.message : missing === current ? missing : undefined;

  const busy = submitting || photos.uploading;
  return (
    <PageState loading={categories.loading} error={categories.error} onRetry={categories.reload}>
      <View className="report-new">
        <View className="card">
          <Text className="report-new__label">拍下问题</Text>
          <PhotoUploader photos={photos} disabled={submitting} hint="拍清问题的全貌和位置，最多 3 张" />
        </View>

        <View className="card">
          <Text className="report-new__label">问题分类</Text>
          <CategoryGrid
            categories={categories.data ?? []}
            value={category}
            disabled={submitting}
            onChange={setCategory}
          />
        </View>

        <View className="card">
          <Text className="report-new__label">问题描述</Text>
          <LimitedTextarea
            className="report-new__text"
            value={description}
            max={MAX_TEXT}
            height={240}
            disabled={submitting}
            placeholder="说说看到了什么、在哪里，例如：3单元一楼楼道堆满纸箱，挡住了消防通道"
            onChange={setDescription}
          />
        </View>

        <View className="card">
          <Text className="report-new__label">问题地点</Text>
          <ChoiceChips
            options={places.map((p) => ({ value: p.id, label: p.label }))}
            value={placeId}
            disabled={submitting}
            onChange={setPlaceId}
          />
          <View className="report-new__location">
            <Text className={`report-new__located report-new__located--${locationStatus}`}>
              {locationStatus === 'locating'
                ? '正在获取位置…'
                : locationStatus === 'located'
                  ? '已获取当前位置，用于查找附近的相同问题'
                  : '未获取到位置，不影响提交'}
            </Text>
            {locationStatus === 'unavailable' && (
              <Text className="report-new__relocate" onClick={locate}>
                重新定位
              </Text>
            )}
          </View>
          {locationStatus === 'unavailable' && locationProblem && (
            <Text className="report-new__location-problem">{locationProblem}</Text>
          )}
        </View>

        <NearbyReports category={category} location={location} />

        <View className="card report-new__privacy">
          <AtSwitch
            title="向邻居显示我的名字（打码）"
            checked={showName}
            disabled={submitting}
            border={false}
            onChange={(value: boolean) => setShowName(value)}
          />
          <AtSwitch
            title="仅处理人员可见"
            checked={isPrivate}
            disabled={submitting}
            border={false}
            onChange={(value: boolean) => setPrivateChoice(value)}
          />
          <Text className="report-new__note">
            其他居民只会看到「某居民」{showName ? '或您打码后的名字' : ''}
            ；网格员和处理人员能看到您，以便联系核实；您的手机号不会向任何人显示。
          </Text>
        </View>

        <View className="page-actions">
          <FormError message={error} />
          <AtButton type="primary" loading={submitting} disabled={busy} onClick={submit}>
            {submitting ? progressText(progress) : photos.uploading ? '图片上传中…' : '提交'}
          </AtButton>
        </View>
      </View>
    </PageState>
  );
}

function NewReport() {
  const { me } = useSession();
  const { params } = useRouter();
  // A draft from 待发送 opened to be changed; gone (sent meanwhile) → a fresh form.
  const [outboxDraft] = useState(() => (params.draft ? findDraft(params.draft) : undefined));
  const keepAs = me && !params.draft ? formDraftKey(me) : undefined;
  // What was being written when the user last left (went back, reloaded, WeChat closed): restored once.
  const [kept, setKept] = useState(() => (keepAs ? readFormDraft(keepAs, isDraft) : undefined));
  // 清空 starts a new form (the fields' state starts over).
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (outboxDraft) void Taro.setNavigationBarTitle({ title: '修改待发送' });
  }, [outboxDraft]);
  if (!me) return null;
  if (me.households.length === 0) {
    return <PageState loading={false} empty emptyText="加入社区（绑定您的房屋）后才能随手拍" />;
  }
  // The new, empty form's first save removes what was kept.
  const clear = () => {
    setKept(undefined);
    setGeneration((n) => n + 1);
  };
  return (
    <>
      {kept && <RestoredDraft onClear={clear} />}
      <ReportForm key={generation} me={me} draft={outboxDraft ?? kept} keepAs={keepAs} />
    </>
  );
}

export default function NewReportPage() {
  return (
    <RequireLogin text="登录后随手拍身边的问题">
      <NewReport />
    </RequireLogin>
  );
}
