import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AtButton, AtInput } from 'taro-ui';
import type { IssuedKey } from '../../../../shared/schemas/manage';
import type { NodeRef } from '../../../../shared/schemas/people';
// First: the console's login prompt keeps its stylesheet ahead of page-state's, as on the other pages.
import { ConfirmLink, ConsolePage, Row, Section, Split } from '../components/console';
import { FormError } from '../../../components/form-error';
import { PageState } from '../../../components/page-state';
import { useConfirmedAction } from '../../../hooks/use-confirmed-action';
import { useRequest } from '../../../hooks/use-request';
import { useSubmit } from '../../../hooks/use-submit';
import { manageApi } from '../../../services/manage-api';
import { copyText } from '../../../utils/clipboard';
import { formatTime } from '../../../utils/format';

/** What an integrator needs besides a key: where to post and which community (jurisdiction) to name. */
function ForIntegrators({ community }: { community: NodeRef }) {
  return (
    <Section title="对接信息">
      <Text className="manage__note">
        外部系统（如 12345 热线）按 Open311 GeoReport v2 提交：POST /open311/v2/requests.json
      </Text>
      <View className="manage__row">
        <View className="manage__row-main">
          <Text className="manage__note">jurisdiction_id（{community.name}）</Text>
          <Text className="manage__secret" userSelect>
            {community.id}
          </Text>
        </View>
        <Text className="manage__link" onClick={() => void copyText(community.id)}>
          复制
        </Text>
      </View>
    </Section>
  );
}

/** The key just issued: shown this once, with 复制. */
function Issued({ issued }: { issued: IssuedKey }) {
  return (
    <Section title={`「${issued.name}」的密钥`}>
      <Text className="manage__problem">密钥只显示这一次，请立即复制并交给对接方妥善保存。</Text>
      <Text className="manage__secret" userSelect>
        {issued.key}
      </Text>
      <AtButton type="primary" onClick={() => void copyText(issued.key)}>
        复制密钥
      </AtButton>
    </Section>
  );
}

function Keys({ community }: { community: NodeRef }) {
  const load = useCallback(() => manageApi.keys(community.id), [community.id]);
  const keys = useRequest(load);
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<IssuedKey>();
  const { busy, error, setError, run } = useSubmit();
  const revoking = useConfirmedAction();
  const issue = async () => {
    if (name.trim().length < 2 || name.trim().length > 20) return setError('名称为 2–20 个字，写明给哪个系统');
    const answer = await run(() => manageApi.issueKey(community.id, name.trim()));
    if (answer) {
      setIssued(answer);
      setName('');
      void keys.refresh();
    }
  };
  return (
    <Split
      list={
        <>
          <ForIntegrators community={community} />
          <Section title="接口密钥">
            <PageState
              loading={keys.loading}
              error={keys.error}
              onRetry={keys.reload}
              empty={keys.data?.length === 0}
              emptyText="还没有签发密钥"
            >
              {keys.data?.map((k) => (
                <Row
                  key={k.id}
                  title={`${k.name}${k.revokedAt ? '（已撤销）' : ''}`}
                  note={`签发于 ${formatTime(k.createdAt)} · ${k.lastUsedAt ? `最近使用 ${formatTime(k.lastUsedAt)}` : '从未使用'}`}
                  action={
                    !k.revokedAt && (
                      <ConfirmLink
                        id={k.id}
                        label="撤销"
                        ask={{ title: '撤销密钥', content: `撤销后「${k.name}」将无法再提交报事，且不能恢复。` }}
                        act={async () => {
                          await manageApi.revokeKey(k.id);
                          await keys.refresh();
                        }}
                        confirm={revoking}
                      />
                    )
                  }
                />
              ))}
            </PageState>
          </Section>
        </>
      }
      detail={
        <>
          {issued && <Issued issued={issued} />}
          <Section title="签发新密钥">
            <AtInput
              name="key-name"
              title="对接方"
              placeholder="如 12345市民热线"
              value={name}
              disabled={busy}
              onChange={(v: string) => setName(v)}
            />
            <FormError message={error} />
            <AtButton type="primary" loading={busy} disabled={busy} onClick={issue}>
              {busy ? '签发中…' : '签发密钥'}
            </AtButton>
          </Section>
        </>
      }
    />
  );
}

/** 开放接口: Open311 API keys for external systems (issue, see once, revoke, last used) and the jurisdiction id. */
export default function ManageKeysPage() {
  return (
    <ConsolePage action="report.categories" login="登录后管理接口密钥">
      {(community) => <Keys community={community} />}
    </ConsolePage>
  );
}
