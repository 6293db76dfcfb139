import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import { AtButton, AtSwitch, AtTextarea } from 'taro-ui';
import { serviceKindLabel, serviceKinds, type ServiceKind } from '../../../../shared/volunteers';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { NeighbourPicker, type NeighbourChoice } from '../../../components/neighbour-picker';
import { PhotoUploader, usePhotoUploads } from '../../../components/photo-uploader';
import { useSession } from '../../../hooks/use-session';
import { toApiError } from '../../../services/api';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { newIdempotencyKey } from '../../../services/upload';
import { volunteerApi } from '../../../services/volunteer-api';
import { placesFor } from '../../../utils/permissions';
import { routes } from '../../../utils/routes';
import { windowChoices } from './slots';
import '../components/form.scss';

const kinds = serviceKinds.map((kind) => ({ value: kind, label: serviceKindLabel[kind] }));

/**
 * 点单: what help, what for, when; sent for my household, or — for captains, grid workers and staff — for a
 * neighbour chosen by unit, room and member (为邻居点单). A failed submit keeps everything.
 */
function OrderForm() {
  const windows = useMemo(() => windowChoices(), []);
  const { me } = useSession();
  // Where the caller may order for a neighbour (captains, grid workers, staff); none for residents.
  const onBehalfRoots = useMemo(() => placesFor(me, 'order.on_behalf'), [me]);
  const [forNeighbour, setForNeighbour] = useState(false);
  const [neighbour, setNeighbour] = useState<NeighbourChoice>();
  const [kind, setKind] = useState<ServiceKind>();
  const [description, setDescription] = useState('');
  const [wanted, setWanted] = useState<string>();
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  // One key per form: a retry after a lost answer gets the order already placed, not a second one.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const photos = usePhotoUploads({ max: 3 });
  useEffect(prepareSubscribe, []);

  const submit = async () => {
    const chosen = windows.find((w) => w.value === wanted);
    if (!kind || !chosen || [...description.trim()].length < 2) {
      setError(!kind ? '请选择服务类别' : !chosen ? '请选择希望的时间' : '请说说需要什么帮助（至少 2 个字）');
      return;
    }
    const member = forNeighbour ? neighbour?.member : undefined;
    if (forNeighbour && !member) {
      setError('请选择为哪位邻居点单');
      return;
    }
    // Photos are optional, but one shown in the form and left out of the order would mislead.
    if (photos.items.some((item) => item.status === 'failed')) {
      setError('有照片未上传成功，请重试或删除');
      return;
    }
    // WeChat asks for consent only inside the tap: accept, check-in and the rest are told this way.
    void askToSubscribe(['volunteer.order']);
    setSubmitting(true);
    setError(undefined);
    try {
      const order = await volunteerApi.createOrder({
        kind,
        description: description.trim(),
        windowStart: chosen.start,
        windowEnd: chosen.end,
        ...(photos.mediaIds.length > 0 ? { mediaIds: photos.mediaIds } : {}),
        ...(member && neighbour ? { forUserId: member.userId, nodeId: neighbour.unitId } : {}),
        idempotencyKey,
      });
      void Taro.redirectTo({ url: routes.volunteerOrder(order.id) });
    } catch (err) {
      setError(toApiError(err).message);
      setSubmitting(false);
    }
  };

  return (
    <View className="volunteer-form volunteer-new">
      {onBehalfRoots.length > 0 && (
        <View className="card">
          <AtSwitch
            title="为邻居点单"
            checked={forNeighbour}
            disabled={submitting}
            onChange={(value: boolean) => setForNeighbour(value)}
          />
          {forNeighbour && (
            <NeighbourPicker roots={onBehalfRoots} withMember disabled={submitting} onChange={setNeighbour} />
          )}
        </View>
      )}
      <View className="card">
        <Text className="volunteer-form__label">需要什么服务</Text>
        <ChoiceChips options={kinds} value={kind} disabled={submitting} onChange={setKind} />
      </View>
      <View className="card">
        <Text className="volunteer-form__label">具体说明</Text>
        <AtTextarea
          value={description}
          count
          maxLength={500}
          height={200}
          disabled={submitting}
          placeholder="例如：家里老人腿脚不便，想请人陪同去社区医院取药"
          onChange={(value: string) => setDescription(value)}
        />
        <PhotoUploader photos={photos} disabled={submitting} hint="可选：拍下需要帮忙的情况，最多 3 张" />
      </View>
      <View className="card">
        <Text className="volunteer-form__label">希望的时间</Text>
        <ChoiceChips options={windows} value={wanted} disabled={submitting} onChange={setWanted} />
        <Text className="volunteer-form__note">
          {forNeighbour
            ? `服务地点为邻居${neighbour ? ` ${neighbour.room} 室` : ''}的住址；上门时由您或邻居出示本单的服务码`
            : '服务地点为您登记的住址；志愿者上门时请出示本单的服务码'}
        </Text>
      </View>
      <FormError message={error} />
      <AtButton type="primary" loading={submitting} disabled={submitting || photos.uploading} onClick={submit}>
        {submitting ? '提交中…' : photos.uploading ? '图片上传中…' : '提交点单'}
      </AtButton>
    </View>
  );
}

export default function NewOrderPage() {
  return (
    <RequireLogin text="登录后点单，社区志愿者上门服务">
      <OrderForm />
    </RequireLogin>
  );
}
