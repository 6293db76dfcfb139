import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AtButton } from 'taro-ui';
import { relationLabel } from '../../../../shared/places';
import type { Role } from '../../../../shared/roles';
import type { Me, NodeRef } from '../../../../shared/schemas/people';
import type { NodeView } from '../../../../shared/schemas/places';
// First: the console's login prompt keeps its stylesheet ahead of page-state's, as on the other pages.
import { ConfirmLink, ConsolePage, Row, Section, Split } from '../components/console';
import { ChoiceChips } from '../../../components/choice-chips';
import { FormError } from '../../../components/form-error';
import { PageState } from '../../../components/page-state';
import { UnitTrail } from '../../../components/unit-chooser';
import { useConfirmedAction } from '../../../hooks/use-confirmed-action';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { useSubmit } from '../../../hooks/use-submit';
import { api, reportApi } from '../../../services/api';
import { manageApi } from '../../../services/manage-api';
import { kindText, placePath, roleText } from '../../../utils/format';
import { toastSuccess } from '../../../utils/toast';
import { ResidentPicker } from '../components/resident-picker';
import { grantableHere, mayRevokeHere } from '../ranks';

/** The places under the one opened: a tap opens a place (its detail beside, its own places in the list). */
function PlaceList({ trail, onOpen, onUp }: { trail: NodeRef[]; onOpen: (ref: NodeRef) => void; onUp: () => void }) {
  const current = trail[trail.length - 1]!;
  const load = useCallback(() => api.children(current.id), [current.id]);
  const { data, loading, error, reload } = useRequest(load);
  return (
    <Section title="地点">
      <UnitTrail path={placePath(current)} action={trail.length > 1 ? '返回上级' : undefined} onAction={onUp} />
      <PageState
        loading={loading}
        error={error}
        onRetry={reload}
        empty={data?.length === 0}
        emptyText={current.kind === 'unit' ? '单元下是各户，见右侧' : '下面还没有地点，可批量导入'}
      >
        {data?.map((child) => {
          const ref = child.breadcrumb[child.breadcrumb.length - 1]!;
          return (
            <Row
              key={ref.id}
              title={ref.name}
              note={`${kindText(ref.kind)} · ${child.householdCount} 户`}
              onOpen={() => onOpen(ref)}
            />
          );
        })}
      </PageState>
    </Section>
  );
}

/** Who holds which role on the place; 撤销 and 授予 only where the user's rank allows, the service's refusal shown. */
function Roles({ me, node }: { me: Me; node: NodeView }) {
  const load = useCallback(() => manageApi.roles(node.id), [node.id]);
  const roles = useRequest(load);
  const grantable = grantableHere(me, node);
  const [role, setRole] = useState<Role | undefined>(grantable[0]);
  const [userId, setUserId] = useState<string>();
  const [granting, setGranting] = useState(false);
  const { busy, error, setError, run } = useSubmit();
  const revoking = useConfirmedAction();

  const grant = async () => {
    if (!role || !userId) return setError('请选择角色和人员');
    if (await run(() => manageApi.grant(node.id, userId, role))) {
      toastSuccess('已授予');
      setUserId(undefined);
      setGranting(false);
      void roles.refresh();
    }
  };
  return (
    <Section title="角色">
      <PageState
        loading={roles.loading}
        error={roles.error}
        onRetry={roles.reload}
        empty={roles.data?.length === 0}
        emptyText="这里还没有人担任角色"
      >
        {roles.data?.map((g) => (
          <Row
            key={g.id}
            title={`${roleText(g.role)} · ${g.user.displayName}`}
            note={g.user.phoneMasked}
            action={
              mayRevokeHere(me, node, g.role) && (
                <ConfirmLink
                  id={g.id}
                  label="撤销"
                  ask={{ title: '撤销角色', content: `撤销${g.user.displayName}的${roleText(g.role)}角色？` }}
                  act={async () => {
                    await manageApi.revoke(g.id);
                    await roles.refresh();
                  }}
                  confirm={revoking}
                />
              )
            }
          />
        ))}
      </PageState>
      {grantable.length === 0 ? (
        <Text className="manage__note">{kindText(node.kind)}上没有您可以授予的角色</Text>
      ) : granting ? (
        <View>
          <Text className="manage__label">授予角色</Text>
          <ChoiceChips
            options={grantable.map((r) => ({ value: r, label: roleText(r) }))}
            value={role}
            onChange={setRole}
            disabled={busy}
          />
          <Text className="manage__label">授予给</Text>
          <ResidentPicker nodeId={node.id} value={userId} onChange={setUserId} />
          <FormError message={error} />
          <AtButton type="primary" loading={busy} disabled={busy || !userId} onClick={grant}>
            {busy ? '授予中…' : '授予'}
          </AtButton>
        </View>
      ) : (
        // The residents under a place may be many: listed once the user asks to grant.
        <AtButton type="secondary" onClick={() => setGranting(true)}>
          授予角色…
        </AtButton>
      )}
    </Section>
  );
}

/** A unit's households and their members (masked names, relation). */
function Households({ unitId }: { unitId: string }) {
  const load = useCallback(() => api.households(unitId), [unitId]);
  const { data, loading, error, reload } = useRequest(load);
  return (
    <Section title="住户">
      <PageState loading={loading} error={error} onRetry={reload} empty={data?.length === 0} emptyText="还没有房屋">
        {data?.map((h) => (
          <Row
            key={h.id}
            title={`${h.room}室 · ${h.floor}层`}
            note={
              h.members.length > 0
                ? h.members.map((m) => `${m.name}（${relationLabel[m.relation]}）`).join('、')
                : '暂无成员'
            }
          />
        ))}
      </PageState>
    </Section>
  );
}

function PlaceDetail({ nodeId }: { nodeId: string }) {
  const { me } = useSession();
  const load = useCallback(() => reportApi.node(nodeId), [nodeId]);
  const { data: node, loading, error, reload } = useRequest(load);
  return (
    <PageState loading={loading} error={error} onRetry={reload}>
      {node && me && (
        <>
          <Section title={placePath(node.breadcrumb[node.breadcrumb.length - 1]!)}>
            <Text className="manage__note">
              {kindText(node.kind)} · {node.householdCount} 户 · 下级 {node.childCount} 个
            </Text>
          </Section>
          <Roles key={node.id} me={me} node={node} />
          {node.kind === 'unit' && <Households unitId={node.id} />}
        </>
      )}
    </PageState>
  );
}

function PlaceTree({ community }: { community: NodeRef }) {
  const [trail, setTrail] = useState<NodeRef[]>([community]);
  const current = trail[trail.length - 1]!;
  const open = (ref: NodeRef) => setTrail((t) => [...t, ref]);
  return (
    <Split
      list={<PlaceList trail={trail} onOpen={open} onUp={() => setTrail((t) => t.slice(0, -1))} />}
      detail={<PlaceDetail key={current.id} nodeId={current.id} />}
    />
  );
}

/** 地点与角色: the community's places, their households, and who holds which role where. */
export default function ManagePlacesPage() {
  return (
    <ConsolePage action="role.grant" login="登录后管理地点和角色">
      {(community) => <PlaceTree community={community} />}
    </ConsolePage>
  );
}
