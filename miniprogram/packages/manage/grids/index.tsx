import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AtButton } from 'taro-ui';
import type { NodeRef } from '../../../../shared/schemas/people';
import type { GridView } from '../../../../shared/schemas/places';
import { FormError } from '../../../components/form-error';
import { PageState } from '../../../components/page-state';
import { useConfirmedAction } from '../../../hooks/use-confirmed-action';
import { useRequest } from '../../../hooks/use-request';
import { useSubmit } from '../../../hooks/use-submit';
import { manageApi } from '../../../services/manage-api';
import { toastSuccess } from '../../../utils/toast';
import { ConsolePage, Section, Split } from '../components/console';
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
          <View key={w.grantId} className="manage__row">
            <Text>{w.displayName}</Text>
            <Text
              className="manage__link"
              onClick={() =>
                void removing.run(
                  w.grantId,
                  { title: '移除网格员', content: `${w.displayName}将不再是${grid.name}的网格员` },
                  async () => {
                    await manageApi.revoke(w.grantId);
                    onChanged();
                  },
                  '已移除',
                )
              }
            >
              {removing.pending === w.grantId ? '移除中…' : '移除'}
            </Text>
          </View>
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
              <View
                key={g.id}
                className={`manage__row${g.id === chosen ? ' manage__row--active' : ''}`}
                onClick={() => setChosen(g.id)}
              >
                <View className="manage__row-main">
                  <Text>{g.name}</Text>
                  <Text className="manage__note">
                    {g.buildings.length} 栋楼 · {g.workers.length} 名网格员
                  </Text>
                </View>
                <Text className="manage__link">›</Text>
              </View>
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
