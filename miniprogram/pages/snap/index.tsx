import { Text, View } from '@tarojs/components';
import { AtButton, AtIcon } from 'taro-ui';
import { useCallback, useEffect, useRef } from 'react';
import type { Me } from '../../../shared/schemas/people';
import { CallToAction } from '../../components/call-to-action';
import { LoadMore } from '../../components/load-more';
import { LoginPrompt } from '../../components/login-prompt';
import { listState, PageState } from '../../components/page-state';
import { ReportCard } from '../../components/report-card';
import { usePagedList } from '../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../hooks/use-refresh-on-show';
import { useSession } from '../../hooks/use-session';
import { reportApi } from '../../services/api';
import { startOutbox } from '../../services/outbox';
import { handlesReports, reportRoutes } from '../../utils/report';
import { openPage, routes } from '../../utils/routes';
import { HandlerEntries } from './handler-entries';
import { OutboxSection, useOutbox } from './outbox-section';
import './index.scss';

const loadMine = (cursor?: string) => reportApi.list('mine', { cursor });

/** 我的随手拍: what I filed or joined (我也遇到), newest first, more on reaching the bottom. */
function MyReports({ sent }: { sent: number }) {
  const list = usePagedList(loadMine);
  // Back from a report's page (confirmed, rated…) or from filing one.
  useRefreshOnShow(list.refresh);
  // A draft from the outbox went through while this tab showed: it belongs in the list now.
  const { refresh } = list;
  const seen = useRef(sent);
  useEffect(() => {
    if (sent === seen.current) return;
    seen.current = sent;
    void refresh();
  }, [sent, refresh]);

  return (
    <View>
      <Text className="section-title">我的随手拍</Text>
      <PageState
        {...listState(list)}
        // A refresh without signal keeps what was shown: the tab is where one comes back offline.
        error={list.items.length > 0 ? undefined : list.error}
        emptyText="还没有报过问题。看到楼道堆物、设施损坏、乱停车，拍下来告诉社区吧"
      >
        <View className="snap__list">
          {list.items.map((report) => (
            <ReportCard key={report.id} report={report} />
          ))}
          <LoadMore list={list} />
        </View>
      </PageState>
    </View>
  );
}

function LoggedIn({ me }: { me: Me }) {
  const { drafts, sending, sent } = useOutbox();
  useEffect(() => startOutbox(), []);
  const canReport = me.households.length > 0;
  const openNew = useCallback(() => openPage(reportRoutes.new()), []);
  return (
    <View>
      {canReport ? (
        <View className="snap__cta">
          <AtButton type="primary" className="snap__snap-button" onClick={openNew}>
            <AtIcon value="camera" size="22" color="#fff" />
            <Text className="snap__snap-text">拍一拍，立即报</Text>
          </AtButton>
        </View>
      ) : (
        !handlesReports(me) && (
          <CallToAction title="加入社区后即可随手拍" text="随手拍会记录问题所在的单元，先加入您所住的单元吧。">
            <AtButton type="primary" onClick={() => openPage(routes.join())}>
              加入社区
            </AtButton>
          </CallToAction>
        )
      )}
      {handlesReports(me) && <HandlerEntries me={me} />}
      <OutboxSection drafts={drafts} sending={sending} />
      {(canReport || drafts.length > 0) && <MyReports sent={sent} />}
    </View>
  );
}

export default function SnapPage() {
  const { loggedIn, me } = useSession();
  return (
    <View className="snap">
      <View className="snap__banner">
        <Text className="snap__title">随手拍 · 立即报</Text>
        <Text className="snap__slogan">网格发现 · 社区呼应 · 分级响应 · 协同处置</Text>
      </View>
      {loggedIn && me ? <LoggedIn me={me} /> : <LoginPrompt text="登录后随手拍身边的问题，并跟进处理进度" />}
    </View>
  );
}
