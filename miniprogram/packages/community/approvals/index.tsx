import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { useCallback, useEffect, useState } from 'react';
import { ErrorCode } from '../../../../shared/errors';
import type { JoinRequestView } from '../../../../shared/schemas/places';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { api, toApiError } from '../../../services/api';
import { askToSubscribe, prepareSubscribe } from '../../../services/subscribe';
import { inWechat } from '../../../utils/platform';
import { toastError, toastSuccess } from '../../../utils/toast';
import { RequestCard } from './request-card';
import './index.scss';

const loadPending = () => api.joinRequests('review', 'pending');

/** Puts a request back where it was: the list is newest first, as the service sends it. */
function restore(list: JoinRequestView[] | undefined, request: JoinRequestView): JoinRequestView[] {
  return [...(list ?? []).filter((r) => r.id !== request.id), request].sort((a, b) =>
    b.createdAt.localeCompare(a.createdAt),
  );
}

/** In WeChat: one subscribe message for the next request, asked on the tap (one consent, one message). */
function RemindMe() {
  useEffect(prepareSubscribe, []);
  const remind = async () => {
    const accepted = await askToSubscribe(['join.requested']);
    if (accepted.length > 0) toastSuccess('已开启提醒');
  };
  return (
    <View className="approvals__remind">
      <Text className="approvals__remind-text">有新的加入申请时，通过微信提醒我</Text>
      <AtButton size="small" onClick={remind}>
        接收新申请提醒
      </AtButton>
    </View>
  );
}

function PendingRequests() {
  const { data, loading, error, reload, refresh, update } = useRequest(loadPending);
  useRefreshOnShow(refresh);
  // Rejection reasons being typed, by request id: they survive a failed reject and its rollback.
  const [drafts, setDrafts] = useState<Record<string, string>>({});

  const setDraft = useCallback((id: string, draft: string | undefined) => {
    setDrafts(({ [id]: _previous, ...others }) => (draft === undefined ? others : { ...others, [id]: draft }));
  }, []);

  /** Removes the request at once; puts it back if the service refuses (unless someone else decided it). */
  const decide = useCallback(
    async (request: JoinRequestView, call: () => Promise<unknown>, done: string) => {
      update((list) => list?.filter((r) => r.id !== request.id));
      try {
        await call();
        setDraft(request.id, undefined);
        toastSuccess(done);
      } catch (err) {
        if (toApiError(err).code !== ErrorCode.JOIN_REQUEST_DECIDED) update((list) => restore(list, request));
        toastError(err);
      }
    },
    [update, setDraft],
  );
  const approve = useCallback(
    (request: JoinRequestView) => void decide(request, () => api.approveJoin(request.id), '已通过'),
    [decide],
  );
  const reject = useCallback(
    (request: JoinRequestView, reason: string) =>
      void decide(request, () => api.rejectJoin(request.id, reason), '已拒绝'),
    [decide],
  );

  return (
    <PageState loading={loading} error={error} onRetry={reload} empty={data?.length === 0} emptyText="暂无待审批">
      <View className="approvals__list">
        {data?.map((request) => (
          <RequestCard
            key={request.id}
            request={request}
            draft={drafts[request.id]}
            onDraft={setDraft}
            onApprove={approve}
            onReject={reject}
          />
        ))}
      </View>
    </PageState>
  );
}

export default function ApprovalsPage() {
  return (
    <View className="approvals">
      <RequireLogin text="登录后审核邻居的加入申请">
        {inWechat() && <RemindMe />}
        <PendingRequests />
      </RequireLogin>
    </View>
  );
}
