import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { AtButton } from 'taro-ui';
import type { ActivityView } from '../../../../shared/schemas/volunteers';
import { activityKindLabel } from '../../../../shared/volunteers';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useSession } from '../../../hooks/use-session';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { volunteerApi } from '../../../services/volunteer-api';
import { formatDateTime, placePath } from '../../../utils/format';
import { grantsFor } from '../../../utils/permissions';
import { toastError, toastSuccess } from '../../../utils/toast';
import { PublishActivity } from './publish';
import './index.scss';

const standing = { signed_up: '已报名', waiting: '候补中', checked_in: '已签到' } as const;

/** An activity: places left or the waiting list, my standing, sign-up / cancel / check-in; the code for staff. */
function ActivityCard({ activity, onChange }: { activity: ActivityView; onChange: (a: ActivityView) => void }) {
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');
  const act = async (label: string, call: () => Promise<ActivityView>) => {
    setBusy(true);
    try {
      onChange(await call());
      toastSuccess(label);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  };
  const full = activity.signedUp >= activity.places;
  const open = !activity.completed;
  return (
    <View className="activity-card">
      <View className="activity-card__head">
        <Text className="activity-card__kind">{activityKindLabel[activity.kind]}</Text>
        <Text className="activity-card__title">{activity.title}</Text>
        {activity.mine && <Text className="activity-card__mine">{standing[activity.mine]}</Text>}
      </View>
      {activity.description && <Text className="activity-card__text">{activity.description}</Text>}
      <Text className="activity-card__meta">
        {formatDateTime(activity.startAt)} · {placePath(activity.place)}
      </Text>
      <Text className="activity-card__meta">
        名额 {activity.signedUp}/{activity.places}
        {activity.waiting > 0 ? ` · 候补 ${activity.waiting} 人` : ''}
        {activity.waitingPosition ? ` · 您排第 ${activity.waitingPosition} 位` : ''}
        {activity.completed ? ' · 已结束' : ''}
      </Text>
      {activity.checkInCode && <Text className="activity-card__code">签到码 {activity.checkInCode}</Text>}
      {open && activity.canManage && (
        <AtButton
          size="small"
          disabled={busy}
          onClick={() => act('已结束', () => volunteerApi.completeActivity(activity.id))}
        >
          结束活动并计入时长
        </AtButton>
      )}
      {open && !activity.mine && (
        <AtButton
          size="small"
          type="primary"
          disabled={busy}
          onClick={() => act('报名成功', () => volunteerApi.signUp(activity.id))}
        >
          {full ? '报名候补' : '报名'}
        </AtButton>
      )}
      {open && activity.mine === 'signed_up' && (
        <View className="activity-card__check-in">
          <Input
            className="activity-card__input"
            type="number"
            maxlength={6}
            value={code}
            placeholder="组织者出示的签到码"
            onInput={(e) => setCode(e.detail.value.replace(/\D/g, ''))}
          />
          <AtButton
            size="small"
            type="primary"
            disabled={busy || code.length !== 6}
            onClick={() => act('签到成功', () => volunteerApi.checkInActivity(activity.id, code))}
          >
            签到
          </AtButton>
        </View>
      )}
      {open && (activity.mine === 'signed_up' || activity.mine === 'waiting') && (
        <AtButton
          size="small"
          disabled={busy}
          onClick={() => act('已取消报名', () => volunteerApi.cancelSignUp(activity.id))}
        >
          取消报名
        </AtButton>
      )}
    </View>
  );
}

function Activities() {
  const { me } = useSession();
  const community = grantsFor(me, 'activity.manage').find((g) => g.node.kind === 'community')?.node;
  const list = usePagedList(volunteerApi.activities);
  useRefreshOnShow(list.refresh);
  const replace = (changed: ActivityView) =>
    list.update((items) => items.map((a) => (a.id === changed.id ? changed : a)));
  return (
    <View className="volunteer-activities">
      {community && (
        <PublishActivity communityId={community.id} onPublished={(a) => list.update((items) => [a, ...items])} />
      )}
      <PageState {...listState(list)} emptyText="暂时没有志愿活动">
        {list.items.map((activity) => (
          <ActivityCard key={activity.id} activity={activity} onChange={replace} />
        ))}
        <LoadMore list={list} />
      </PageState>
    </View>
  );
}

export default function ActivitiesPage() {
  return (
    <RequireLogin text="登录后报名社区志愿活动">
      <Activities />
    </RequireLogin>
  );
}
