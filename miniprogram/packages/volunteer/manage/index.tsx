import { Text, View } from '@tarojs/components';
import dayjs from 'dayjs';
import { useCallback, useState } from 'react';
import { AtButton, AtInput } from 'taro-ui';
import type { VolunteerView } from '../../../../shared/schemas/volunteers';
import {
  hoursText,
  orderStateLabel,
  serviceKindLabel,
  volunteerStatusLabel,
  type VolunteerStatus,
} from '../../../../shared/volunteers';
import { Bars } from '../../../components/bars';
import { ChoiceChips } from '../../../components/choice-chips';
import { CsvExport } from '../../../components/csv-export';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { volunteerApi } from '../../../services/volunteer-api';
import { grantsFor } from '../../../utils/permissions';
import { toastError, toastSuccess } from '../../../utils/toast';
import { VolunteerSettingsForm } from './settings';
import './index.scss';

const statuses = (['pending', 'verified', 'suspended'] as const).map((value) => ({
  value,
  label: volunteerStatusLabel[value],
}));
const moves: Record<VolunteerStatus, { decision: 'verify' | 'suspend' | 'reinstate'; label: string }[]> = {
  pending: [
    { decision: 'verify', label: '通过认证' },
    { decision: 'suspend', label: '暂停' },
  ],
  verified: [{ decision: 'suspend', label: '暂停' }],
  suspended: [{ decision: 'reinstate', label: '恢复' }],
};

/** A volunteer with staff's moves; a reason is required and stays if the move fails. */
function VolunteerRow({ volunteer, onDone }: { volunteer: VolunteerView; onDone: (id: string) => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = async (decision: 'verify' | 'suspend' | 'reinstate') => {
    setBusy(true);
    try {
      await volunteerApi.decide(volunteer.id, decision, reason.trim());
      toastSuccess('已处理');
      onDone(volunteer.id);
    } catch (err) {
      toastError(err);
      setBusy(false);
    }
  };
  return (
    <View className="volunteer-row">
      <Text className="volunteer-row__name">
        {volunteer.realName} {volunteer.phone}
      </Text>
      <Text className="volunteer-row__note">
        {volunteer.skills.map((s) => serviceKindLabel[s]).join('、')} · {volunteer.areas.map((a) => a.name).join('、')}
        {volunteer.statusReason ? ` · ${volunteer.statusReason}` : ''}
      </Text>
      <AtInput
        name={`reason-${volunteer.id}`}
        placeholder="理由（必填，会告知志愿者）"
        value={reason}
        maxLength={200}
        border={false}
        disabled={busy}
        onChange={(value: string) => setReason(value)}
      />
      <View className="volunteer-row__actions">
        {moves[volunteer.status].map((move) => (
          <AtButton
            key={move.decision}
            size="small"
            type={move.decision === 'suspend' ? 'secondary' : 'primary'}
            disabled={busy || [...reason.trim()].length < 2}
            onClick={() => decide(move.decision)}
          >
            {move.label}
          </AtButton>
        ))}
      </View>
    </View>
  );
}

function Volunteers() {
  const [status, setStatus] = useState<VolunteerStatus>('pending');
  const loadPage = useCallback((cursor?: string) => volunteerApi.volunteers(status, cursor), [status]);
  const list = usePagedList(loadPage);
  const done = (id: string) => list.update((items) => items.filter((v) => v.id !== id));
  return (
    <View>
      <ChoiceChips options={statuses} value={status} onChange={setStatus} />
      <PageState {...listState(list)} emptyText={`没有${volunteerStatusLabel[status]}的志愿者`}>
        <View className="card-list">
          {list.items.map((v) => (
            <VolunteerRow key={v.id} volunteer={v} onDone={done} />
          ))}
        </View>
        <LoadMore list={list} />
      </PageState>
    </View>
  );
}

const months = [0, 1, 2].map((back) => {
  const month = dayjs().subtract(back, 'month').format('YYYY-MM');
  return { value: month, label: back === 0 ? '本月' : back === 1 ? '上月' : month };
});

/** The month's figures: orders by kind and state, medians, completion, rating, hours; CSV for a spreadsheet. */
function Figures({ communityId }: { communityId: string }) {
  const [month, setMonth] = useState(months[0]!.value);
  const load = useCallback(() => volunteerApi.figures(communityId, month), [communityId, month]);
  const { data, loading, error, reload } = useRequest(load);
  const byKind = new Map<string, number>();
  const byState = new Map<string, number>();
  for (const o of data?.orders ?? []) {
    byKind.set(o.kind, (byKind.get(o.kind) ?? 0) + o.count);
    byState.set(o.state, (byState.get(o.state) ?? 0) + o.count);
  }
  const minutes = (m: number | null) => (m === null ? '—' : `${Math.round(m)} 分钟`);
  return (
    <View>
      <ChoiceChips options={months} value={month} onChange={setMonth} />
      <PageState loading={loading} error={error} onRetry={reload}>
        {data && (
          <View className="volunteer-figures">
            <View className="card volunteer-figures__overview">
              <Text>服务时长 {hoursText(data.halfHours)} 小时</Text>
              <Text>活跃志愿者 {data.activeVolunteers} 人</Text>
              <Text>完成率 {data.completionRate === null ? '—' : `${Math.round(data.completionRate * 100)}%`}</Text>
              <Text>平均评分 {data.meanRating ?? '—'}</Text>
              <Text>派单用时中位数 {minutes(data.medianMinutesToDispatch)}</Text>
              <Text>接单用时中位数 {minutes(data.medianMinutesToAccept)}</Text>
            </View>
            <View className="card">
              <Text className="volunteer-figures__title">按服务类别</Text>
              <Bars
                bars={[...byKind].map(([kind, n]) => ({
                  key: kind,
                  label: serviceKindLabel[kind as 'other'],
                  value: n,
                }))}
              />
            </View>
            <View className="card">
              <Text className="volunteer-figures__title">按状态</Text>
              <Bars
                tone="blue"
                bars={[...byState].map(([state, n]) => ({
                  key: state,
                  label: orderStateLabel[state as 'rated'],
                  value: n,
                }))}
              />
            </View>
            <View className="card">
              <Text className="volunteer-figures__title">志愿者时长（小时）</Text>
              <Bars
                bars={data.byVolunteer.slice(0, 10).map((v) => ({
                  key: v.volunteerId,
                  label: v.displayName,
                  value: v.halfHours / 2,
                }))}
              />
            </View>
            <CsvExport
              load={() => volunteerApi.figuresCsv(communityId, month)}
              filename={`volunteer-figures-${month}.csv`}
            />
          </View>
        )}
      </PageState>
    </View>
  );
}

function Manage() {
  const { me } = useSession();
  const community = grantsFor(me, 'volunteer.verify').find((g) => g.node.kind === 'community')?.node;
  const [tab, setTab] = useState<'volunteers' | 'figures' | 'settings'>('volunteers');
  if (!community) return <PageState loading={false} empty emptyText="仅社区工作人员可以管理志愿者" />;
  return (
    <View className="volunteer-manage">
      <ChoiceChips
        options={[
          { value: 'volunteers', label: '志愿者审核' },
          { value: 'figures', label: '数据统计' },
          { value: 'settings', label: '设置' },
        ]}
        value={tab}
        onChange={setTab}
      />
      {tab === 'volunteers' && <Volunteers />}
      {tab === 'figures' && <Figures communityId={community.id} />}
      {tab === 'settings' && <VolunteerSettingsForm communityId={community.id} />}
    </View>
  );
}

export default function ManagePage() {
  return (
    <RequireLogin text="登录后管理志愿者">
      <Manage />
    </RequireLogin>
  );
}
