import type { Choice } from '../components/choice-chips';

/**
 * Rooms by floor, lowest first, as the unit's letterboxes are laid out; each room's choice is its `id` when it
 * has one (a household), else the room number itself (an invite's rooms).
 */
export function roomsByFloor(
  rooms: readonly { room: string; floor: number; id?: string }[],
): { floor: number; rooms: Choice<string>[] }[] {
  const floors = new Map<number, Choice<string>[]>();
  for (const { room, floor, id } of rooms)
    floors.set(floor, [...(floors.get(floor) ?? []), { value: id ?? room, label: room }]);
  return [...floors].sort(([a], [b]) => a - b).map(([floor, list]) => ({ floor, rooms: list }));
}
