import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtSegmentedControl } from 'taro-ui';
import { useCallback, useMemo, useState } from 'react';
import { ErrorCode } from '../../../../shared/errors';
import type { ModerationCaseView } from '../../../../shared/schemas/platform';
import { RequireLogin } from '../../../components/login-prompt';
import { LoadMore } from '../../../components/load-more';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { platformApi, toApiError } from '../../../services/api';
import { toastError, toastSuccess } from '../../../utils/toast';
import type { Draft } from './case-forms';
import { Bans } from './bans';
import { CaseCard, type CaseActions } from './case-card';
import './index.scss';

const loadOpen = (cursor?: string) => platformApi.moderationCases('open', { cursor });
const loadClosed = (cursor?: string) => platformApi.moderationCases('closed', { cursor });

/** Puts a case back where it was: open cases come oldest first, as the service sends them. */
function restore(list: ModerationCaseView[], item: ModerationCaseView): ModerationCaseView[] {
  return [...list.filter((c) => c.id !== item.id), item].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

function OpenCases() {
  const list = usePagedList(loadOpen);
  const { update } = list;
  // Back from 遮挡照片: the photo now shows its black boxes.
  useRefreshOnShow(list.refresh);
  // Inline forms by case id: what was typed survives a failed decision and its rollback.
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});

  const onDraft = useCallback((id: string, draft: Draft | undefined) => {
    setDrafts(({ [id]: _previous, ...others }) => (draft === undefined ? others : { ...others, [id]: draft }));
  }, []);

  /** Takes the case off the queue at once; puts it back if the service refuses (unless already decided). */
  const decide = useCallback(
    async (item: ModerationCaseView, call: () => Promise<unknown>, done: string) => {
      update((items) => items.filter((c) => c.id !== item.id));
      try {
        await call();
        onDraft(item.id, undefined);
        toastSuccess(done);
      } catch (err) {
        if (toApiError(err).code !== ErrorCode.CASE_CLOSED) update((items) => restore(items, item));
        toastError(err);
      }
    },
    [update, onDraft],
  );

  const actions = useMemo<CaseActions>(
    () => ({
      onDraft,
      onApprove: (item) => void decide(item, () => platformApi.approveCase(item.id), '已通过'),
      onHide: (item) =>
        void Taro.showModal({ title: '隐藏内容', content: '隐藏后居民将看不到这条内容，确定隐藏吗？' }).then(
          ({ confirm }) => {
            if (confirm) void decide(item, () => platformApi.hideCase(item.id), '已隐藏');
          },
        ),
      onEdit: (item, text) => void decide(item, () => platformApi.editCase(item.id, text), '已发布'),
    }),
    [onDraft, decide],
  );

  return (
    <PageState {...listState(list)} emptyText="没有待处理的内容">
      <View className="moderation__list">
        {list.items.map((item) => (
          <CaseCard key={item.id} item={item} draft={drafts[item.id]} actions={actions} />
        ))}
        <LoadMore list={list} />
      </View>
    </PageState>
  );
}

function ClosedCases() {
  const list = usePagedList(loadClosed);
  return (
    <PageState {...listState(list)} emptyText="暂无已处理的内容">
      <View className="moderation__list">
        {list.items.map((item) => (
          <CaseCard key={item.id} item={item} />
        ))}
        <LoadMore list={list} />
      </View>
    </PageState>
  );
}

const tabs = ['待处理', '已处理', '禁言中'];

export default function ModerationPage() {
  const [tab, setTab] = useState(0);
  return (
    <View className="moderation">
      <RequireLogin text="登录后处理待审内容">
        <View className="moderation__tabs">
          <AtSegmentedControl values={tabs} current={tab} onClick={setTab} />
        </View>
        {/* Each tab loads when shown, so 已处理 and 禁言中 include what was just decided. */}
        {tab === 0 ? <OpenCases /> : tab === 1 ? <ClosedCases /> : <Bans />}
      </RequireLogin>
    </View>
  );
}
