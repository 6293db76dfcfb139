import { Text, View } from '@tarojs/components';
import { AtButton, AtInput } from 'taro-ui';
import { useCallback, useState } from 'react';
import type { SettingsBody } from '../../../../shared/schemas/deliberation';
import type { NodeRef } from '../../../../shared/schemas/people';
import type { NodeView } from '../../../../shared/schemas/places';
import { defaultCosignThreshold, defaultStages } from '../../../../shared/votes';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { CommunitySettings } from '../../../components/community-settings';
import { StaffCommunity } from '../../../components/staff-community';
import { useRequest } from '../../../hooks/use-request';
import { useSubmit } from '../../../hooks/use-submit';
import { api, reportApi } from '../../../services/api';
import { deliberationApi } from '../../../services/deliberation-api';
import { placePath } from '../../../utils/format';
import { toastSuccess } from '../../../utils/toast';
import '../deliberation.scss';

/** The service's bounds (SettingsBody). */
const MAX_STAGES = 10;
const STAGE_CHARS = 20;
const MAX_HOUSEHOLDS = 10000;

/** A place with its own co-sign threshold, as typed. */
interface Threshold {
  place: NodeView;
  households: string;
}

const placeName = (place: NodeView) => placePath(place.breadcrumb[place.breadcrumb.length - 1]!);

/** The settings with each threshold's place, for its name and household count. */
async function loadSettings(communityId: string) {
  const settings = await deliberationApi.settings(communityId);
  const places = await Promise.all(settings.cosignThresholds.map((t) => reportApi.node(t.nodeId)));
  return {
    stages: settings.stages,
    thresholds: settings.cosignThresholds.map((t, i): Threshold => ({
      place: places[i]!,
      households: `${t.households}`,
    })),
  };
}

/** What is wrong with the form, in words, or the body to send. */
function check(stages: string[], thresholds: Threshold[]): string | SettingsBody {
  const names = stages.map((s) => s.trim());
  if (names.some((n) => !n)) return '阶段名称不能为空';
  if (names.some((n) => [...n].length > STAGE_CHARS)) return `阶段名称最多 ${STAGE_CHARS} 个字`;
  // A topic records its stages by name: two alike could not be told apart.
  if (new Set(names).size !== names.length) return '阶段名称不能重复';
  const bad = thresholds.find(
    (t) => !/^\d+$/.test(t.households) || Number(t.households) < 1 || Number(t.households) > MAX_HOUSEHOLDS,
  );
  if (bad) return `请为「${placeName(bad.place)}」填写 1–${MAX_HOUSEHOLDS} 的户数`;
  return {
    stages: names,
    cosignThresholds: thresholds.map((t) => ({ nodeId: t.place.id, households: Number(t.households) })),
  };
}

/** Walks the community's places down from the top; 设门槛 picks one that has no threshold yet. */
function PlacePicker({
  communityId,
  taken,
  onPick,
  onCancel,
}: {
  communityId: string;
  taken: string[];
  onPick: (place: NodeView) => void;
  onCancel: () => void;
}) {
  const [trail, setTrail] = useState([communityId]);
  const here = trail[trail.length - 1]!;
  const load = useCallback(() => Promise.all([reportApi.node(here), api.children(here)]), [here]);
  const level = useRequest(load);
  const [node, children] = level.data ?? [];
  const pick = (place: NodeView) =>
    taken.includes(place.id) ? (
      <Text className="delib-card__note">已设置</Text>
    ) : (
      <Text className="delib-flag" onClick={() => onPick(place)}>
        设门槛
      </Text>
    );
  return (
    <View className="delib-card">
      <PageState loading={level.loading} error={level.error} onRetry={level.reload}>
        {node && children && (
          <View>
            <View className="delib-figure">
              <Text>{placeName(node)}</Text>
              {pick(node)}
            </View>
            {children.map((child) => (
              <View key={child.id} className="delib-figure">
                <Text>
                  {child.name} · {child.householdCount} 户
                </Text>
                <View className="delib-card__actions">
                  {pick(child)}
                  {child.childCount > 0 && (
                    <Text className="delib-flag" onClick={() => setTrail([...trail, child.id])}>
                      下一级 ›
                    </Text>
                  )}
                </View>
              </View>
            ))}
            {children.length === 0 && <Text className="delib-card__note">这里没有下一级地点</Text>}
          </View>
        )}
      </PageState>
      <View className="delib-card__actions">
        {trail.length > 1 && (
          <AtButton size="small" onClick={() => setTrail(trail.slice(0, -1))}>
            返回上一级
          </AtButton>
        )}
        <AtButton size="small" onClick={onCancel}>
          取消
        </AtButton>
      </View>
    </View>
  );
}

/** The form, from what the service holds; a refused save keeps everything typed. */
function SettingsForm({
  community,
  initial,
}: {
  community: NodeRef;
  initial: Awaited<ReturnType<typeof loadSettings>>;
}) {
  const [stages, setStages] = useState(initial.stages);
  const [thresholds, setThresholds] = useState(initial.thresholds);
  const [picking, setPicking] = useState(false);
  const { busy, error, setError, run } = useSubmit();

  const setStage = (i: number, name: string) => setStages(stages.map((s, j) => (j === i ? name : s)));
  const moveUp = (i: number) =>
    setStages([...stages.slice(0, i - 1), stages[i]!, stages[i - 1]!, ...stages.slice(i + 1)]);
  const setHouseholds = (id: string, households: string) =>
    setThresholds(thresholds.map((t) => (t.place.id === id ? { ...t, households } : t)));
  const add = (place: NodeView) => {
    setThresholds([...thresholds, { place, households: `${defaultCosignThreshold(place.householdCount)}` }]);
    setPicking(false);
  };

  async function save() {
    const body = check(stages, thresholds);
    if (typeof body === 'string') return setError(body);
    const saved = await run(() => deliberationApi.saveSettings(community.id, body));
    if (!saved) return;
    setStages(saved.stages);
    toastSuccess('已保存');
  }

  return (
    <View className="delib-page">
      <View className="delib-card">
        <Text className="delib-card__title">四议两公开 · 阶段顺序</Text>
        <Text className="delib-card__note">议题进入议程后按此顺序逐项记录，不能跳过。修改只影响之后发起的议题。</Text>
        {stages.map((stage, i) => (
          <View key={i} className="delib-figure">
            <AtInput
              name={`stage-${i}`}
              title={`${i + 1}.`}
              placeholder="阶段名称"
              value={stage}
              maxlength={STAGE_CHARS}
              disabled={busy}
              onChange={(v: string) => setStage(i, v)}
            />
            <View className="delib-card__actions">
              {i > 0 && (
                <Text className="delib-flag" onClick={() => moveUp(i)}>
                  上移
                </Text>
              )}
              {stages.length > 1 && (
                <Text className="delib-flag" onClick={() => setStages(stages.filter((_, j) => j !== i))}>
                  删除
                </Text>
              )}
            </View>
          </View>
        ))}
        <View className="delib-card__actions">
          {stages.length < MAX_STAGES && (
            <AtButton size="small" disabled={busy} onClick={() => setStages([...stages, ''])}>
              添加阶段
            </AtButton>
          )}
          <AtButton size="small" disabled={busy} onClick={() => setStages([...defaultStages])}>
            恢复默认
          </AtButton>
        </View>
      </View>

      <View className="delib-card">
        <Text className="delib-card__title">附议门槛</Text>
        <Text className="delib-card__note">
          未单独设置的地点：3 户与住户数 5% 中较多者。门槛在议题发起时确定，修改不影响已发起的议题。
        </Text>
        {thresholds.length === 0 && <Text className="delib-card__note">暂未单独设置，均按默认门槛</Text>}
        {thresholds.map((t) => (
          <View key={t.place.id} className="delib-figure">
            <AtInput
              name={`threshold-${t.place.id}`}
              title={placeName(t.place)}
              type="number"
              placeholder="户数"
              value={t.households}
              disabled={busy}
              onChange={(v: string) => setHouseholds(t.place.id, v)}
            />
            <Text className="delib-card__note">
              共 {t.place.householdCount} 户，默认 {defaultCosignThreshold(t.place.householdCount)} 户
            </Text>
            <Text
              className="delib-flag"
              onClick={() => setThresholds(thresholds.filter((other) => other.place.id !== t.place.id))}
            >
              删除
            </Text>
          </View>
        ))}
        {!picking && (
          <AtButton size="small" disabled={busy} onClick={() => setPicking(true)}>
            添加地点
          </AtButton>
        )}
      </View>
      {picking && (
        <PlacePicker
          communityId={community.id}
          taken={thresholds.map((t) => t.place.id)}
          onPick={add}
          onCancel={() => setPicking(false)}
        />
      )}

      <FormError message={error} />
      <AtButton type="primary" loading={busy} disabled={busy} onClick={save}>
        {busy ? '保存中…' : '保存'}
      </AtButton>
    </View>
  );
}

/** 议事规则, for staff: one of the communities they answer for, chosen when there are several. */
function Settings() {
  // Keyed by the community: another one starts from what the service holds for it.
  return (
    <StaffCommunity action="topic.procedure" emptyText="议事规则由社区工作人员设置" className="delib-page">
      {(community) => (
        <CommunitySettings community={community} load={loadSettings}>
          {(settings) => <SettingsForm community={community} initial={settings} />}
        </CommunitySettings>
      )}
    </StaffCommunity>
  );
}

export default function TopicSettingsPage() {
  return (
    <RequireLogin text="登录后设置议事规则">
      <Settings />
    </RequireLogin>
  );
}
