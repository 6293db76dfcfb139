import { Text } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AtButton } from 'taro-ui';
import type { NodeRef } from '../../../../shared/schemas/people';
import type { GridView } from '../../../../shared/schemas/places';
// First: the console's login prompt keeps its stylesheet ahead of page-state's, as on the other pages.
import { ConfirmLink, ConsolePage, Row, Section, Split } from '../components/console';
import { FormError } from '../../../components/form-error';
import { PageState } from '../../../components/page-state';
import { useConfirmedAction } from '../../../hooks/use-confirmed-action';
import { useRequest } from '../../../hooks/use-request';
import { useSubmit } from '../../../hooks/use-submit';
import { manageApi } from '../../../services/manage-api';
import { toastSuccess } from '../../../utils/toast';
import { ResidentPicker } from '../components/resident-picker';

/** A grid's buildings and workers: 移除 a worker, 添加 one among the community's residents. */
function GridDetail({ grid, community, onChanged }: { grid: GridView; community: NodeRef; onChanged: () => void }) {
  const [userId, setUserId] = useState<string>();
  const { busy, error, setError, run } = useSubmit();
  const removing = useConfirmedAction();
  const add = async () => {
    if (!userId) return setError('请选择人员');
    if (await run(() => manageApi.addWorker(grid.id, userId))) {
      toastSuccess('已添加');
      setUserId(undefined);
      onChanged();
    }
  };
  return (
    <>
      <Section title={`${grid.name} · 楼栋`}>
        <Text className="manage__note">
          {grid.buildings.length > 0 ? grid.buildings.map((b) => b.path.slice(1).join('')).join('、') : '尚未划入楼栋'}
        </Text>
      </Section>
      <Section title="网格员">
        {grid.workers.length === 0 && <Text className="manage__note">还没有网格员</Text>}
        {grid.workers.map((w) => (
          <Row
            key={w.grantId}
            title={w.displayName}
            action={
              <ConfirmLink
                id={w.grantId}
                label="移除"
                ask={{ title: '移除网格员', content: `${w.displayName}将不再是${grid.name}的网格员` }}
                act={async () => {
                  await manageApi.revoke(w.grantId);
                  onChanged();
                }}
                confirm={removing}
              />
            }
          />
        ))}
        <Text className="manage__label">添加网格员</Text>
        <ResidentPicker nodeId={community.id} value={userId} onChange={setUserId} />
        <FormError message={error} />
        <AtButton type="primary" loading={busy} disabled={busy || !userId} onClick={add}>
          {busy ? '添加中…' : '添加为网格员'}
        </AtButton>
      </Section>
    </>
  );
}

function Grids({ community }: { community: NodeRef }) {
  const load = useCallback(() => manageApi.grids(community.id), [community.id]);
  const { data, loading, error, reload, refresh } = useRequest(load);
  const [chosen, setChosen] = useState<string>();
  const grid = data?.find((g) => g.id === chosen);
  return (
    <Split
      list={
        <Section title="网格">
          <PageState
            loading={loading}
            error={error}
            onRetry={reload}
            empty={data?.length === 0}
            emptyText="还没有网格：导入结构时可一并划分网格"
          >
            {data?.map((g) => (
              <Row
                key={g.id}
                title={g.name}
                note={`${g.buildings.length} 栋楼 · ${g.workers.length} 名网格员`}
                active={g.id === chosen}
                onOpen={() => setChosen(g.id)}
              />
            ))}
          </PageState>
        </Section>
      }
      detail={grid && <GridDetail key={grid.id} grid={grid} community={community} onChanged={() => void refresh()} />}
    />
  );
}

/** 网格: a community's grids with their buildings and workers. */
export default function ManageGridsPage() {
  return (
    <ConsolePage action="grid.manage" login="登录后管理网格">
      {(community) => <Grids community={community} />}
    </ConsolePage>
  );
}
