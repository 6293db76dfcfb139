import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { AtButton, AtInput, AtSwitch } from 'taro-ui';
import {
  ACT_POINTS_BOUNDS,
  actsProblem,
  colourLabel,
  colours,
  DEFAULT_ACTS,
  type ActDefinition,
  type Colour,
} from '../../../../shared/boards';
import type { BoardSettingsBody, BoardSettingsView } from '../../../../shared/schemas/boards';
import type { NodeRef } from '../../../../shared/schemas/people';
import { FormError } from '../../../components/form-error';
import { RequireLogin } from '../../../components/login-prompt';
import { CommunitySettings } from '../../../components/community-settings';
import { useSubmit } from '../../../hooks/use-submit';
import { boardsApi } from '../../../services/boards-api';
import { toastSuccess } from '../../../utils/toast';
import { StaffCommunity } from '../components/community';
import '../boards.scss';

/** An act as typed: the points as their size (红榜加分, 黑榜扣分), so no minus sign is needed on a phone keyboard. */
interface TypedAct {
  key: string;
  colour: Colour;
  label: string;
  points: string;
  enabled: boolean;
}
const typedOf = (acts: readonly ActDefinition[]): TypedAct[] =>
  acts.map((a) => ({ ...a, points: String(Math.abs(a.points)) }));

/** What is wrong, in words, or the body to send. */
function check(typed: TypedAct[]): string | BoardSettingsBody {
  const acts: ActDefinition[] = [];
  const max = Math.max(-ACT_POINTS_BOUNDS[0], ACT_POINTS_BOUNDS[1]);
  for (const act of typed) {
    const label = act.label.trim();
    if ([...label].length < 2 || [...label].length > 20) return '行为名称需为 2–20 个字';
    if (!/^\d+$/.test(act.points.trim()) || Number(act.points) > max) return `「${label}」的分值需为 0–${max} 的整数`;
    const size = Number(act.points);
    acts.push({
      key: act.key,
      colour: act.colour,
      label,
      points: act.colour === 'red' ? size : -size,
      enabled: act.enabled,
    });
  }
  return actsProblem(acts) ?? { acts };
}

function ActsForm({ community, initial }: { community: NodeRef; initial: BoardSettingsView }) {
  const [typed, setTyped] = useState<TypedAct[]>(() => typedOf(initial.acts));
  const { busy, error, setError, run } = useSubmit();
  const readOnly = busy || !initial.canEdit;
  const change = (key: string, patch: Partial<TypedAct>) =>
    setTyped((list) => list.map((a) => (a.key === key ? { ...a, ...patch } : a)));
  const add = (colour: Colour) =>
    setTyped((list) => {
      let n = list.length + 1;
      while (list.some((a) => a.key === `custom_${colour}_${n}`)) n += 1;
      return [...list, { key: `custom_${colour}_${n}`, colour, label: '', points: '1', enabled: true }];
    });
  const save = async () => {
    const body = check(typed);
    if (typeof body === 'string') return setError(body);
    const saved = await run(() => boardsApi.saveSettings(community.id, body));
    if (!saved) return;
    setTyped(typedOf(saved.acts));
    toastSuccess('已保存');
  };
  return (
    <View className="board-page board-form">
      {colours.map((colour) => (
        <View key={colour} className="card">
          <Text className="board-form__label">
            {community.name} · {colourLabel[colour]}（{colour === 'red' ? '加分' : '扣分'}）
          </Text>
          {typed
            .filter((a) => a.colour === colour)
            .map((act) => (
              <View key={act.key}>
                <AtInput
                  name={`${act.key}-label`}
                  title="行为"
                  placeholder="名称，2–20 个字"
                  value={act.label}
                  disabled={readOnly}
                  onChange={(v: string) => change(act.key, { label: v })}
                />
                <AtInput
                  name={`${act.key}-points`}
                  title={colour === 'red' ? '加分' : '扣分'}
                  type="number"
                  value={act.points}
                  disabled={readOnly}
                  onChange={(v: string) => change(act.key, { points: v })}
                >
                  <Text>分/户</Text>
                </AtInput>
                <AtSwitch
                  title="启用"
                  checked={act.enabled}
                  disabled={readOnly}
                  onChange={(v: boolean) => change(act.key, { enabled: v })}
                />
              </View>
            ))}
          {initial.canEdit && (
            <Text className="board-card__link" onClick={() => !busy && add(colour)}>
              + 添加{colourLabel[colour]}行为
            </Text>
          )}
        </View>
      ))}
      <Text className="board-form__note">每条上榜条目为涉及的住户加减一次积分；修改只影响之后上榜的条目</Text>
      <FormError message={error} />
      {initial.canEdit && (
        <View className="board-tools">
          <AtButton disabled={busy} onClick={() => setTyped(typedOf(DEFAULT_ACTS))}>
            恢复默认
          </AtButton>
          <AtButton type="primary" loading={busy} disabled={busy} onClick={save}>
            {busy ? '保存中…' : '保存'}
          </AtButton>
        </View>
      )}
    </View>
  );
}

export default function BoardSettingsPage() {
  return (
    <RequireLogin text="登录后设置红黑榜行为与积分">
      <StaffCommunity>
        {(community) => (
          <CommunitySettings community={community} load={boardsApi.settings}>
            {(settings) => <ActsForm community={community} initial={settings} />}
          </CommunitySettings>
        )}
      </StaffCommunity>
    </RequireLogin>
  );
}
