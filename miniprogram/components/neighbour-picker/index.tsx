import { Text, View } from '@tarojs/components';
import { useCallback, useMemo, useState } from 'react';
import { relationLabel } from '../../../shared/places';
import type { NodeRef } from '../../../shared/schemas/people';
import type { HouseholdSummary } from '../../../shared/schemas/places';
import { useRequest } from '../../hooks/use-request';
import { api } from '../../services/api';
import { placePath } from '../../utils/format';
import { roomsByFloor } from '../../utils/rooms';
import { ChoiceChips, type Choice } from '../choice-chips';
import { PageState } from '../page-state';
import { UnitChooser, UnitTrail } from '../unit-chooser';
import './index.scss';

/** The neighbour chosen: their household, and when asked for, one of its members. */
export interface NeighbourChoice {
  unitId: string;
  householdId: string;
  room: string;
  /** A member of the household (names come masked), when `withMember` and one is picked. */
  member?: { userId: string; displayName: string };
}

export interface NeighbourPickerProps {
  /** The places the user holds the role on that lets them act for neighbours (from `grantsFor`); keep it stable. */
  roots: NodeRef[];
  /** Also pick one of the household's members (the service gives their ids only to those who may act for them). */
  withMember?: boolean;
  /** With `withMember`: the household alone is already a choice, a member adds to it (红榜: optionally the person). */
  memberOptional?: boolean;
  disabled?: boolean;
  /** Every change of the choice; `undefined` until a household (and, with `withMember`, a member) is chosen. */
  onChange: (choice: NeighbourChoice | undefined) => void;
}

function Household({
  unit,
  withMember,
  memberOptional,
  disabled,
  onChange,
}: Omit<NeighbourPickerProps, 'roots'> & { unit: NodeRef }) {
  const load = useCallback(() => api.households(unit.id), [unit.id]);
  const { data, loading, error, reload } = useRequest(load);
  const floors = useMemo(() => roomsByFloor(data ?? []), [data]);
  const [household, setHousehold] = useState<HouseholdSummary>();
  const [userId, setUserId] = useState<string>();
  const members = useMemo(
    (): Choice<string>[] =>
      (household?.members ?? []).flatMap((m) =>
        m.userId ? [{ value: m.userId, label: `${m.name}（${relationLabel[m.relation]}）` }] : [],
      ),
    [household],
  );

  const chooseHousehold = useCallback(
    (id: string) => {
      const chosen = data?.find((h) => h.id === id);
      setHousehold(chosen);
      setUserId(undefined);
      const complete = !withMember || memberOptional;
      onChange(chosen && complete ? { unitId: unit.id, householdId: chosen.id, room: chosen.room } : undefined);
    },
    [data, unit.id, withMember, memberOptional, onChange],
  );
  const chooseMember = useCallback(
    (id: string) => {
      setUserId(id);
      const member = household?.members.find((m) => m.userId === id);
      if (!household || !member) return;
      onChange({
        unitId: unit.id,
        householdId: household.id,
        room: household.room,
        member: { userId: id, displayName: member.name },
      });
    },
    [household, unit.id, onChange],
  );

  return (
    <PageState
      loading={loading}
      error={error}
      onRetry={reload}
      empty={data?.length === 0}
      emptyText="这个单元还没有住户"
    >
      <Text className="neighbour-picker__label">房号</Text>
      {floors.map(({ floor, rooms }) => (
        <View key={floor} className="neighbour-picker__floor">
          <Text className="neighbour-picker__floor-label">{floor}层</Text>
          <ChoiceChips wide options={rooms} value={household?.id} disabled={disabled} onChange={chooseHousehold} />
        </View>
      ))}
      {withMember && household && (
        <>
          <Text className="neighbour-picker__label">为哪位邻居</Text>
          {members.length > 0 ? (
            <ChoiceChips options={members} value={userId} disabled={disabled} onChange={chooseMember} />
          ) : (
            <Text className="neighbour-picker__note">这户还没有登记的成员</Text>
          )}
        </>
      )}
    </PageState>
  );
}

/**
 * Picks a neighbour: a unit among the places the user holds a role on (`UnitChooser`), then a household (room) of
 * it, then, with `withMember`, one of its members. Shared by the subpackages (点单 and 微心愿 for a neighbour).
 */
export function NeighbourPicker({
  roots,
  withMember = false,
  memberOptional = false,
  disabled = false,
  onChange,
}: NeighbourPickerProps) {
  const [unit, setUnit] = useState<NodeRef>();
  const changeUnit = useCallback(() => {
    setUnit(undefined);
    onChange(undefined);
  }, [onChange]);

  if (!unit) return <UnitChooser roots={roots} onChoose={setUnit} prompt="选择邻居所在的单元" />;
  return (
    <View className="neighbour-picker">
      <UnitTrail path={placePath(unit)} action={disabled ? undefined : '更换单元'} onAction={changeUnit} />
      <Household
        key={unit.id}
        unit={unit}
        withMember={withMember}
        memberOptional={memberOptional}
        disabled={disabled}
        onChange={onChange}
      />
    </View>
  );
}
