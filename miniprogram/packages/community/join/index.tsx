import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { InvitePreview, JoinRequestView } from '../../../../shared/schemas/places';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { api } from '../../../services/api';
import { reloadMe } from '../../../services/auth';
import { ApplyStep } from './apply-step';
import { CodeStep } from './code-step';
import { PendingRequest } from './pending-request';
import './index.scss';

const loadPending = () => api.joinRequests('mine', 'pending');

/** 我的 and 首页 show whether a request is pending; keep the stored profile in step. */
function refreshProfile(): void {
  void reloadMe().catch(() => undefined);
}

function JoinForm({
  initialCode,
  onSubmitted,
}: {
  initialCode: string | undefined;
  onSubmitted: (request: JoinRequestView) => void;
}) {
  const [invite, setInvite] = useState<{ code: string; preview: InvitePreview }>();
  // A code from the QR code is looked up once; coming back to step 1 shows it without looking again.
  const [autoLookUp, setAutoLookUp] = useState(Boolean(initialCode));
  const [lastCode, setLastCode] = useState(initialCode ?? '');

  const found = useCallback((code: string, preview: InvitePreview) => {
    setInvite({ code, preview });
    setLastCode(code);
    setAutoLookUp(false);
  }, []);
  const changeCode = useCallback(() => setInvite(undefined), []);

  return invite ? (
    <ApplyStep code={invite.code} preview={invite.preview} onChangeCode={changeCode} onSubmitted={onSubmitted} />
  ) : (
    <CodeStep defaultCode={lastCode} lookUpAtOnce={autoLookUp} onFound={found} />
  );
}

function JoinFlow({ initialCode }: { initialCode: string | undefined }) {
  const { data, loading, error, reload, update } = useRequest(loadPending);
  const pending = data?.[0];

  const submitted = useCallback(
    (request: JoinRequestView) => {
      update((list) => [request, ...(list ?? [])]);
      refreshProfile();
    },
    [update],
  );
  const cancelled = useCallback(
    (request: JoinRequestView) => {
      update((list) => list?.filter((r) => r.id !== request.id));
      refreshProfile();
    },
    [update],
  );

  return (
    <PageState loading={loading} error={error} onRetry={reload}>
      {pending ? (
        <PendingRequest request={pending} onCancelled={cancelled} />
      ) : (
        <JoinForm initialCode={initialCode} onSubmitted={submitted} />
      )}
    </PageState>
  );
}

export default function JoinPage() {
  const { params } = useRouter();
  // `code` from a shared link or the QR payload; `scene` when WeChat opens the page from the invite's mini-program code.
  const code = params.code ?? params.scene;
  return (
    <View className="join-page">
      <RequireLogin text="登录后即可申请加入您所在的单元">
        <JoinFlow initialCode={code ? decodeURIComponent(code) : undefined} />
      </RequireLogin>
    </View>
  );
}
