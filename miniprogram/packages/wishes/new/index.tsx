import { Picker, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AtButton, AtInput, AtSwitch, AtTextarea } from 'taro-ui';
import type { CreateWishBody, ResubmitWishBody, WishView } from '../../../../shared/schemas/wishes';
import {
  beneficiaryKindLabel,
  beneficiaryKinds,
  WISH_SETTING_BOUNDS,
  WISH_TEXT_MAX,
  wishKindLabel,
  wishKinds,
  wishProblem,
  type BeneficiaryKind,
  type WishKind,
} from '../../../../shared/wishes';
import { chinaDate } from '../../../../shared/china-time';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { NeighbourPicker, type NeighbourChoice } from '../../../components/neighbour-picker';
import { PageState } from '../../../components/page-state';
import { PhotoUploader, usePhotoUploads, type PhotoItem } from '../../../components/photo-uploader';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { mediaUrl, toApiError } from '../../../services/api';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { newIdempotencyKey } from '../../../services/upload';
import { wishesApi } from '../../../services/wishes-api';
import { grantsFor } from '../../../utils/permissions';
import { routes } from '../../../utils/routes';
import { toastSuccess } from '../../../utils/toast';
import { myCommunity } from '../components/community';
import '../wishes.scss';

const kinds = wishKinds.map((value) => ({ value, label: wishKindLabel[value] }));
const beneficiaries = beneficiaryKinds.map((value) => ({ value, label: beneficiaryKindLabel[value] }));
const DAY_MS = 24 * 3600_000;
const PHONE = /^1[3-9][0-9]{9}$/;

type ForWhom = 'self' | 'other';
const forWhomChoices: { value: ForWhom; label: string }[] = [
  { value: 'self', label: '为自己家' },
  { value: 'other', label: '代他人录入' },
];

/** The most a wish may be worth in the community (its settings), or undefined when it cannot be read now. */
async function valueCap(communityId: string | undefined): Promise<number | undefined> {
  try {
    return communityId ? (await wishesApi.settings(communityId)).maxValueYuan : undefined;
  } catch {
    return undefined;
  }
}

/** A wish's photos as the uploader shows them, already on the service. */
function uploaded(wish: WishView | undefined): PhotoItem[] | undefined {
  return wish?.media.flatMap((m) =>
    m.thumbUrl
      ? [{ key: m.id, path: mediaUrl(m.thumbUrl), status: 'done' as const, progress: 100, mediaId: m.id }]
      : [],
  );
}

/**
 * 许愿: what, what kind, for whom, the value within the community's cap, by when, photos, consent to a masked name.
 * For myself (my household, or one of them), or — for captains, grid workers and staff — a neighbour's (代录).
 * Editing (`wish`, sent back by staff) resubmits it. One idempotency key per form: a retry after a lost answer
 * gets the wish already posted. A failed submit keeps everything.
 */
function WishForm({ wish }: { wish?: WishView }) {
  const { me } = useSession();
  const households = me?.households ?? [];
  // The places one records for neighbours on (a building captain's building, a grid worker's or staff's community).
  const recordRoots = useMemo(() => grantsFor(me, 'wish.on_behalf').map((grant) => grant.node), [me]);
  const canRecord = !wish && recordRoots.length > 0;
  const loadCap = useCallback(
    async () => valueCap(wish?.communityId ?? (await myCommunity(me).catch(() => undefined))?.id),
    [wish?.communityId, me],
  );
  const cap = useRequest(loadCap).data;

  const [text, setText] = useState(wish?.text ?? '');
  const [kind, setKind] = useState<WishKind | undefined>(wish?.kind);
  const [beneficiaryKind, setBeneficiaryKind] = useState<BeneficiaryKind | undefined>(wish?.beneficiaryKind);
  const [value, setValue] = useState(wish ? String(wish.valueYuan) : '');
  const [wantedBy, setWantedBy] = useState(() => wish?.wantedBy ?? chinaDate(new Date(Date.now() + 14 * DAY_MS)));
  const [showMaskedName, setShowMaskedName] = useState(wish?.beneficiary.showMaskedName ?? false);
  const [forWhom, setForWhom] = useState<ForWhom>(households.length === 0 && canRecord ? 'other' : 'self');
  const [householdId, setHouseholdId] = useState<string | undefined>(households[0]?.id);
  const [neighbour, setNeighbour] = useState<NeighbourChoice>();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const photos = usePhotoUploads({ max: 3, initial: uploaded(wish) });
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [today] = useState(() => chinaDate(new Date()));
  useEffect(prepareSubscribe, []);

  /** What is missing or wrong, in words, or the fields to send. */
  const check = (): string | ResubmitWishBody => {
    if ([...text.trim()].length < 2) return '请写下心愿内容（至少 2 个字）';
    if (!kind) return '请选择心愿类别';
    if (!beneficiaryKind) return '请选择受助对象';
    if (!/^\d+$/.test(value.trim())) return '请填写估计价值（整数元，没有花费填 0）';
    const valueYuan = Number(value.trim());
    const limits = { maxValueYuan: cap ?? WISH_SETTING_BOUNDS.maxValueYuan[1], claimLapseDays: 7, autoConfirmDays: 7 };
    const problem = wishProblem({ valueYuan, wantedBy }, limits, new Date());
    if (problem) return problem.message;
    if (photos.uploading) return '照片还在上传，请稍候';
    if (photos.items.some((item) => item.status === 'failed')) return '有照片未上传成功，请重试或删除';
    return {
      text: text.trim(),
      kind,
      beneficiaryKind,
      valueYuan,
      wantedBy,
      showMaskedName,
      ...(photos.mediaIds.length > 0 ? { mediaIds: photos.mediaIds } : {}),
    };
  };

  /** For whom: my household (named when I have several), or the neighbour's with their name and phone. */
  const whom = (): string | Pick<CreateWishBody, 'householdId' | 'beneficiary'> => {
    if (forWhom === 'self') {
      if (households.length === 0) return '请先加入社区（绑定您的房屋）再许愿';
      return households.length > 1 && householdId ? { householdId } : {};
    }
    if (!neighbour) return '请选择受助居民的房屋';
    if (!name.trim()) return '请填写受助居民的姓名';
    if (phone.trim() && !PHONE.test(phone.trim())) return '手机号格式不正确';
    return {
      householdId: neighbour.householdId,
      beneficiary: { name: name.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}) },
    };
  };

  const submit = async () => {
    const fields = check();
    const target = wish ? {} : whom();
    const invalid = typeof fields === 'string' ? fields : typeof target === 'string' ? target : undefined;
    setError(invalid);
    if (typeof fields === 'string' || typeof target === 'string') return;
    // WeChat asks for consent only inside the tap: review, claim, fulfilment are told this way.
    void askToSubscribe(['wish.updated']);
    setSubmitting(true);
    try {
      if (wish) {
        // Back to the wish, which shows it pending again when it shows.
        await wishesApi.resubmit(wish.id, fields);
        toastSuccess('已重新提交');
        void Taro.navigateBack();
        return;
      }
      const posted = await wishesApi.create({ ...fields, ...target, idempotencyKey });
      void Taro.redirectTo({ url: routes.wish(posted.id) });
    } catch (err) {
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  };

  return (
    <View className="wish-page wish-form">
      {wish?.reviewNote && <Text className="wish-alert">社区意见：{wish.reviewNote}</Text>}
      {canRecord && (
        <View className="card">
          <Text className="wish-form__label">为谁许愿</Text>
          <ChoiceChips options={forWhomChoices} value={forWhom} disabled={submitting} onChange={setForWhom} />
          {forWhom === 'other' && (
            <View>
              <Text className="wish-form__note">为不用手机的邻居录入，您将作为代办人跟进这个心愿</Text>
              <NeighbourPicker roots={recordRoots} disabled={submitting} onChange={setNeighbour} />
              <AtInput
                name="beneficiary-name"
                title="姓名"
                placeholder="受助居民的姓名（不会公开）"
                value={name}
                maxLength={20}
                disabled={submitting}
                onChange={(v: string) => setName(v)}
              />
              <AtInput
                name="beneficiary-phone"
                title="电话"
                type="phone"
                placeholder="选填，仅社区和认领人可见"
                value={phone}
                maxLength={11}
                disabled={submitting}
                onChange={(v: string) => setPhone(v)}
              />
            </View>
          )}
        </View>
      )}
      {!wish && forWhom === 'self' && households.length > 1 && (
        <View className="card">
          <Text className="wish-form__label">为哪一户</Text>
          <ChoiceChips
            options={households.map((h) => ({ value: h.id, label: `${h.unit.path.slice(2).join('')}${h.room}` }))}
            value={householdId}
            disabled={submitting}
            onChange={setHouseholdId}
          />
        </View>
      )}
      <View className="card">
        <Text className="wish-form__label">心愿内容</Text>
        <AtTextarea
          value={text}
          count
          maxLength={WISH_TEXT_MAX}
          height={200}
          disabled={submitting}
          placeholder="例如：想要一台收音机，平时一个人在家听听戏"
          onChange={(v: string) => setText(v)}
        />
        <PhotoUploader photos={photos} disabled={submitting} hint="可选：拍下需要的物品或情况，最多 3 张" />
      </View>
      <View className="card">
        <Text className="wish-form__label">心愿类别</Text>
        <ChoiceChips options={kinds} value={kind} disabled={submitting} onChange={setKind} />
      </View>
      <View className="card">
        <Text className="wish-form__label">受助对象</Text>
        <ChoiceChips
          options={beneficiaries}
          value={beneficiaryKind}
          disabled={submitting}
          onChange={setBeneficiaryKind}
        />
        <AtSwitch
          title="同意在心愿墙显示打码姓名"
          checked={showMaskedName}
          disabled={submitting}
          border={false}
          onChange={(v: boolean) => setShowMaskedName(v)}
        />
        <Text className="wish-form__note">
          {showMaskedName
            ? '心愿墙显示如「3栋 王**」，不显示全名和门牌'
            : `心愿墙只显示「${beneficiaryKind ? `一位${beneficiaryKindLabel[beneficiaryKind]}` : '一位有需要的居民'}」`}
        </Text>
      </View>
      <View className="card">
        <AtInput
          name="value"
          title="估计价值"
          type="number"
          placeholder={cap === undefined ? '元' : `不超过 ${cap} 元`}
          value={value}
          disabled={submitting}
          onChange={(v: string) => setValue(v)}
        />
        <Picker
          mode="date"
          value={wantedBy}
          start={today}
          disabled={submitting}
          onChange={(e) => setWantedBy(e.detail.value)}
        >
          <View className="wish-form__picker">期望日期：{wantedBy}</View>
        </Picker>
        <Text className="wish-form__note">社区审核通过后发布到心愿墙，由党员、志愿者或爱心组织认领</Text>
      </View>
      <FormError message={error} />
      <AtButton type="primary" loading={submitting} disabled={submitting || photos.uploading} onClick={submit}>
        {submitting ? '提交中…' : photos.uploading ? '图片上传中…' : wish ? '修改后重新提交' : '提交心愿'}
      </AtButton>
    </View>
  );
}

/** Editing a wish staff sent back: the form with what it says now. */
function EditWish({ id }: { id: string }) {
  const load = useCallback(() => wishesApi.get(id), [id]);
  const { data, loading, error, reload } = useRequest(load);
  return (
    <PageState
      loading={loading}
      error={error}
      onRetry={reload}
      empty={!!data && !data.actions.includes('resubmit')}
      emptyText="这个心愿现在不能修改"
    >
      {data && <WishForm wish={data} />}
    </PageState>
  );
}

export default function NewWishPage() {
  const { params } = useRouter();
  useEffect(() => {
    if (params.id) void Taro.setNavigationBarTitle({ title: '修改心愿' });
  }, [params.id]);
  return (
    <RequireLogin text="登录后许下心愿，邻居们会来帮您实现">
      {params.id ? <EditWish id={params.id} /> : <WishForm />}
    </RequireLogin>
  );
}
