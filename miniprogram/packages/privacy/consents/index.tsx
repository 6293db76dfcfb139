import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { useCallback } from 'react';
import { CONSENT_ITEM_KIND_LABELS, CONSENT_KIND_LABELS } from '../../../../shared/privacy';
import type { ConsentList, ConsentView } from '../../../../shared/schemas/privacy';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useConfirmedAction } from '../../../hooks/use-confirmed-action';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { privacyApi } from '../../../services/privacy-api';
import { formatDateTime } from '../../../utils/format';
import '../privacy.scss';

/**
 * 我的授权: every separate consent (单独同意) the user gave — a name shown on a report, on the wish wall, on the
 * wishes' roll of honour, on a red board entry — with what it is about and when; 撤回 (asks first) takes effect
 * in every later view, and the consent stays listed as 已撤回.
 */
function Consents() {
  const { data, loading, error, reload, refresh, update } = useRequest(privacyApi.consents);
  useRefreshOnShow(refresh);
  const { pending, run } = useConfirmedAction();
  const revoke = useCallback(
    (consent: ConsentView) =>
      void run(
        consent.id,
        {
          title: '撤回授权',
          content: `撤回后，「${CONSENT_KIND_LABELS[consent.kind].title}」立即在所有页面失效（已冻结的往月榜单也一样）。确定撤回吗？`,
        },
        async () => {
          const revoked = await privacyApi.revokeConsent(consent.id);
          const now = new Date().toISOString();
          update(
            (list: ConsentList | undefined) =>
              list && {
                items: list.items.map((item) =>
                  item.id === consent.id
                    ? { ...item, ...revoked, granted: false, revokedAt: revoked?.revokedAt ?? now }
                    : item,
                ),
              },
          );
        },
        '已撤回',
      ),
    [run, update],
  );
  const items = data?.items ?? [];
  return (
    <View className="privacy">
      <Text className="privacy__intro">
        以下是您单独同意的个人信息公开事项。撤回后立即生效，不影响撤回前已经进行的处理。
      </Text>
      <PageState
        loading={loading}
        error={error}
        onRetry={reload}
        empty={items.length === 0}
        emptyText="您还没有单独授权过任何事项。在随手拍、微心愿或红榜上选择显示姓名时，授权会列在这里。"
      >
        {items.map((consent) => (
          <ConsentCard
            key={consent.id}
            consent={consent}
            revoking={pending === consent.id}
            onRevoke={() => revoke(consent)}
          />
        ))}
      </PageState>
    </View>
  );
}

function ConsentCard({
  consent,
  revoking,
  onRevoke,
}: {
  consent: ConsentView;
  revoking: boolean;
  onRevoke: () => void;
}) {
  const label = CONSENT_KIND_LABELS[consent.kind];
  return (
    <View className="card privacy__card consent">
      <View className="consent__head">
        <Text className="privacy__heading">{label.title}</Text>
        {consent.granted ? (
          <Text className="consent__state">已授权</Text>
        ) : (
          <Text className="consent__state consent__state--revoked">已撤回</Text>
        )}
      </View>
      <Text className="privacy__text">{label.description}</Text>
      <Text className="consent__about">
        {CONSENT_ITEM_KIND_LABELS[consent.itemKind]}：{consent.title}
      </Text>
      <Text className="privacy__meta">
        授权于 {formatDateTime(consent.grantedAt)}（隐私政策版本 {consent.version}）
      </Text>
      {consent.revokedAt && <Text className="privacy__meta">撤回于 {formatDateTime(consent.revokedAt)}</Text>}
      {consent.granted && (
        <AtButton size="small" loading={revoking} disabled={revoking} onClick={onRevoke}>
          撤回授权
        </AtButton>
      )}
    </View>
  );
}

export default function ConsentsPage() {
  return (
    <RequireLogin text="登录后查看和撤回您的授权">
      <Consents />
    </RequireLogin>
  );
}
