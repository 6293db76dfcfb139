import { Picker, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AtButton, AtSwitch, AtTextarea } from 'taro-ui';
import { colourLabel, type Colour } from '../../../../shared/boards';
import type { ActDefinition } from '../../../../shared/boards';
import type { NominateBody } from '../../../../shared/schemas/boards';
import type { Me, NodeRef } from '../../../../shared/schemas/people';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { NeighbourPicker, type NeighbourChoice } from '../../../components/neighbour-picker';
import { PageState } from '../../../components/page-state';
import { PhotoUploader, usePhotoUploads } from '../../../components/photo-uploader';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { toApiError } from '../../../services/api';
import { boardsApi } from '../../../services/boards-api';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { newIdempotencyKey } from '../../../services/upload';
import { grantsFor } from '../../../utils/permissions';
import { routes } from '../../../utils/routes';
import { breadcrumbOf, myCommunity } from '../components/community';
import { PlacePicker } from './place-picker';
import '../boards.scss';

const colourChoices: { value: Colour; label: string }[] = [
  { value: 'red', label: `${colourLabel.red} · 好人好事` },
  { value: 'black', label: `${colourLabel.black} · 不文明行为` },
];
const DESCRIPTION_MAX = 300;

/** Where the caller may say something happened: their estates (residents), their grants' places (grid, staff). */
async function placeRoots(me: Me | undefined): Promise<NodeRef[]> {
  const granted = grantsFor(me, 'board.nominate').map((g) => g.node);
  const estates = await Promise.all(
    (me?.households ?? []).map(async (h) => (await breadcrumbOf(h.unit.id)).find((ref) => ref.kind === 'estate')),
  );
  const all = [...granted, ...estates.filter((e): e is NodeRef => !!e)];
  return all.filter((ref, i) => all.findIndex((other) => other.id === ref.id) === i);
}

interface Context {
  community: NodeRef;
  acts: ActDefinition[];
  roots: NodeRef[];
}

/**
 * The household concerned, through the picker. Those who may see a unit's households (captains, grid workers,
 * staff) walk down from those places and may also name the person; any other resident walks down from their
 * community to any unit and room of it — the service gives them rooms, never who lives there.
 */
function Household({
  colour,
  me,
  community,
  disabled,
  onChange,
}: {
  colour: Colour;
  me: Me | undefined;
  community: NodeRef;
  disabled: boolean;
  onChange: (choice: NeighbourChoice | undefined) => void;
}) {
  const memberRoots = useMemo(() => grantsFor(me, 'household.view').map((g) => g.node), [me]);
  const communityRoots = useMemo(() => [community], [community]);
  const seesMembers = memberRoots.length > 0;
  const [known, setKnown] = useState(false);
  if (!seesMembers && colour === 'black') return null;
  return (
    <View className="card">
      <Text className="board-form__label">{colour === 'red' ? '做好事的住户' : '涉及的住户'}</Text>
      {colour === 'black' && (
        <AtSwitch
          title="知道是哪一户"
          checked={known}
          disabled={disabled}
          border={false}
          onChange={(v: boolean) => {
            setKnown(v);
            onChange(undefined);
          }}
        />
      )}
      {(colour === 'red' || known) && (
        <NeighbourPicker
          roots={seesMembers ? memberRoots : communityRoots}
          withMember={colour === 'red' && seesMembers}
          memberOptional
          disabled={disabled}
          onChange={onChange}
        />
      )}
      <Text className="board-form__note">
        {colour === 'black'
          ? '核实后先告知该住户，7天内可回应或整改；黑榜只显示楼栋单元，不显示姓名和门牌'
          : seesMembers
            ? '可选具体哪位邻居：经其本人同意后，红榜才显示姓名，否则显示「几栋几单元 一位居民」'
            : '红榜显示「几栋几单元 一位居民」；要写明具体哪位邻居，请联系楼长或网格员代为提名'}
      </Text>
    </View>
  );
}

/**
 * 提名: red or black, the act from the community's list, when, where, who (red: required), what happened, evidence
 * photos. One idempotency key per form: a retry after a lost answer gets the entry already nominated. A failed
 * submit keeps everything.
 */
function NominateForm({ context, initialColour }: { context: Context; initialColour: Colour }) {
  const { me } = useSession();
  const [colour, setColour] = useState<Colour>(initialColour);
  const [act, setAct] = useState<string>();
  const [date, setDate] = useState(() => dayjs().format('YYYY-MM-DD'));
  const [time, setTime] = useState(() => dayjs().format('HH:mm'));
  const [place, setPlace] = useState<NodeRef>();
  const [household, setHousehold] = useState<NeighbourChoice>();
  const [description, setDescription] = useState('');
  const photos = usePhotoUploads({ max: 3, communityId: context.community.id });
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const acts = context.acts.filter((a) => a.enabled && a.colour === colour);
  useEffect(prepareSubscribe, []);

  const changeColour = (next: Colour) => {
    setColour(next);
    setAct(undefined);
    setHousehold(undefined);
  };

  const check = (): string | NominateBody => {
    if (!act) return '请选择行为类型';
    const occurred = dayjs(`${date}T${time}:00`);
    if (!occurred.isValid()) return '请选择发生时间';
    if (occurred.isAfter(dayjs())) return '发生时间不能晚于现在';
    if (!place) return '请选择发生地点（小区、楼栋或单元）';
    if (colour === 'red' && !household) return '请选择做好事的住户';
    if ([...description.trim()].length < 2) return '请描述发生了什么（至少 2 个字）';
    if (photos.uploading) return '照片还在上传，请稍候';
    if (photos.items.some((item) => item.status === 'failed')) return '有照片未上传成功，请重试或删除';
    return {
      colour,
      act,
      occurredAt: occurred.toISOString(),
      nodeId: place.id,
      description: description.trim(),
      ...(photos.mediaIds.length > 0 ? { mediaIds: photos.mediaIds } : {}),
      ...(household ? { householdId: household.householdId } : {}),
      ...(colour === 'red' && household?.member ? { subjectUserId: household.member.userId } : {}),
      idempotencyKey,
    };
  };

  const submit = async () => {
    const body = check();
    setError(typeof body === 'string' ? body : undefined);
    if (typeof body === 'string') return;
    // WeChat asks for consent only inside the tap: the verification and publication are told this way.
    void askToSubscribe(['board.updated']);
    setSubmitting(true);
    try {
      const entry = await boardsApi.nominate(body);
      void Taro.redirectTo({ url: routes.boardEntry(entry.id) });
    } catch (err) {
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  };

  return (
    <View className="board-page board-form">
      <View className="card">
        <Text className="board-form__label">提名到</Text>
        <ChoiceChips options={colourChoices} value={colour} disabled={submitting} onChange={changeColour} />
        <Text className="board-form__label">行为类型</Text>
        <ChoiceChips
          options={acts.map((a) => ({ value: a.key, label: a.label }))}
          value={act}
          disabled={submitting}
          onChange={setAct}
        />
      </View>
      <View className="card">
        <Text className="board-form__label">发生时间</Text>
        <View className="board-form__pickers">
          <Picker
            mode="date"
            value={date}
            end={dayjs().format('YYYY-MM-DD')}
            disabled={submitting}
            onChange={(e) => setDate(e.detail.value)}
          >
            <View className="board-form__picker">{date}</View>
          </Picker>
          <Picker mode="time" value={time} disabled={submitting} onChange={(e) => setTime(e.detail.value)}>
            <View className="board-form__picker">{time}</View>
          </Picker>
        </View>
        <Text className="board-form__label">发生地点</Text>
        <PlacePicker roots={context.roots} disabled={submitting} onChange={setPlace} />
      </View>
      <Household
        key={colour}
        colour={colour}
        me={me}
        community={context.community}
        disabled={submitting}
        onChange={setHousehold}
      />
      <View className="card">
        <Text className="board-form__label">发生了什么</Text>
        <AtTextarea
          value={description}
          count
          maxLength={DESCRIPTION_MAX}
          height={200}
          disabled={submitting}
          placeholder={
            colour === 'red' ? '例如：帮独居老人把煤气罐扛上五楼' : '例如：2单元楼道堆放纸箱，堵住了消防通道'
          }
          onChange={(v: string) => setDescription(v)}
        />
        <PhotoUploader
          photos={photos}
          disabled={submitting}
          hint="证据照片最多 3 张；上榜前社区会遮挡其中的人脸和车牌"
        />
        <Text className="board-form__note">社区工作人员核实后才会上榜</Text>
      </View>
      <FormError message={error} />
      <AtButton type="primary" loading={submitting} disabled={submitting || photos.uploading} onClick={submit}>
        {submitting ? '提交中…' : photos.uploading ? '图片上传中…' : '提交提名'}
      </AtButton>
    </View>
  );
}

function Nominate({ colour }: { colour: Colour }) {
  const { me } = useSession();
  const load = useCallback(async (): Promise<Context | undefined> => {
    const community = await myCommunity(me);
    if (!community) return undefined;
    const [settings, roots] = await Promise.all([boardsApi.settings(community.id), placeRoots(me)]);
    return { community, acts: settings.acts, roots };
  }, [me]);
  const { data, loading, error, reload } = useRequest(load);
  return (
    <PageState
      loading={loading && !data}
      error={data ? undefined : error}
      onRetry={reload}
      empty={!loading && !error && !data}
      emptyText="加入社区后才能提名"
    >
      {data && <NominateForm context={data} initialColour={colour} />}
    </PageState>
  );
}

export default function NominatePage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后提名身边的好人好事或不文明行为">
      <Nominate colour={params.colour === 'black' ? 'black' : 'red'} />
    </RequireLogin>
  );
}
