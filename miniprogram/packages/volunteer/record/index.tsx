import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { AtButton } from 'taro-ui';
import type { VolunteerView } from '../../../../shared/schemas/volunteers';
import { hoursText, serviceKindLabel, volunteerStatusLabel } from '../../../../shared/volunteers';
import { CsvExport } from '../../../components/csv-export';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRequest } from '../../../hooks/use-request';
import { volunteerApi } from '../../../services/volunteer-api';
import { formatDateTime } from '../../../utils/format';
import { inWechat } from '../../../utils/platform';
import './index.scss';

const entryKind = { order: '服务', activity: '活动', manual: '补录', void: '作废' } as const;

/** Hours, points and stars, then every ledger entry: a record that prints cleanly (not a certificate). */
function Record({ volunteer }: { volunteer: VolunteerView }) {
  const loadPage = useCallback((cursor?: string) => volunteerApi.ledger(volunteer.id, cursor), [volunteer.id]);
  const list = usePagedList(loadPage);
  const { totals } = volunteer;
  return (
    <View className="volunteer-record">
      <View className="card volunteer-record__summary">
        <Text className="volunteer-record__name">
          {volunteer.realName} · {volunteerStatusLabel[volunteer.status]}
        </Text>
        <View className="volunteer-record__figures">
          <View>
            <Text className="volunteer-record__figure">{hoursText(totals.halfHours)}</Text>
            <Text>服务时长（小时）</Text>
          </View>
          <View>
            <Text className="volunteer-record__figure">{hoursText(totals.points)}</Text>
            <Text>积分</Text>
          </View>
          <View>
            <Text className="volunteer-record__figure volunteer-record__stars">{'★'.repeat(totals.stars) || '—'}</Text>
            <Text>星级</Text>
          </View>
        </View>
        <Text className="volunteer-record__note">
          {totals.toNextStar === null
            ? '已达五星志愿者'
            : `再服务 ${hoursText(totals.toNextStar)} 小时升至 ${totals.stars + 1} 星`}
          {volunteer.rating !== null ? ` · 评分 ${volunteer.rating}（${volunteer.ratingCount} 次）` : ''}
        </Text>
        <Text className="volunteer-record__note">
          技能：{volunteer.skills.map((s) => serviceKindLabel[s]).join('、')}
        </Text>
      </View>
      <PageState {...listState(list)} emptyText="还没有服务记录">
        <View className="card-list volunteer-record__entries">
          {list.items.map((entry) => (
            <View key={entry.id} className={`volunteer-record__entry volunteer-record__entry--${entry.kind}`}>
              <View className="volunteer-record__entry-head">
                <Text className="volunteer-record__entry-title">{entry.title}</Text>
                <Text className="volunteer-record__entry-hours">
                  {entry.halfHours > 0 ? '+' : ''}
                  {hoursText(entry.halfHours)} 小时
                </Text>
              </View>
              <Text className="volunteer-record__note">
                {formatDateTime(entry.at)} · {entryKind[entry.kind]} · {entry.minutes} 分钟
                {entry.note ? ` · ${entry.note}` : ''}
              </Text>
            </View>
          ))}
        </View>
        <LoadMore list={list} />
      </PageState>
      <View className="volunteer-record__tools">
        {!inWechat() && (
          <AtButton size="small" onClick={() => window.print()}>
            打印服务记录
          </AtButton>
        )}
        <CsvExport load={() => volunteerApi.ledgerCsv(volunteer.id)} filename={`service-record-${volunteer.id}.csv`} />
      </View>
    </View>
  );
}

function MyRecord() {
  const { data, loading, error, reload } = useRequest(volunteerApi.me);
  return (
    <PageState loading={loading} error={error} onRetry={reload} empty={data === null} emptyText="您还不是志愿者">
      {data && <Record volunteer={data} />}
      {data === null && (
        <AtButton type="primary" onClick={() => void Taro.navigateBack()}>
          返回
        </AtButton>
      )}
    </PageState>
  );
}

export default function RecordPage() {
  return (
    <RequireLogin text="登录后查看志愿服务记录">
      <MyRecord />
    </RequireLogin>
  );
}
