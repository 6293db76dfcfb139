import type { Types } from 'mongoose';
import type { Colour } from '../../../shared/boards';
import type { NodeKind } from '../../../shared/places';
import type { NodeRef } from '../../../shared/schemas/people';
import type { Models } from '../../plugins/models';
import type { Household, PlaceNode } from '../places/model';
import type { BoardEntry } from './model';

/** Where an entry is, in the words each audience may see. */
export interface EntryPlace {
  place: NodeRef;
  /** The path from the estate down to the place (never a room), e.g. "阳光花园 1栋 2单元". */
  placeLabel: string;
  /** The household's building and unit, e.g. "1栋2单元"; null without a household. */
  unitPath: string | null;
  /** The household's building, unit and room: only for staff, the household and the named person. */
  room: string | null;
  estateName: string;
}

type Placed = Pick<BoardEntry, '_id' | 'communityId' | 'nodeId' | 'ancestors' | 'householdId' | 'estateId'>;
const unique = (ids: Types.ObjectId[]) => [...new Map(ids.map((id) => [String(id), id])).values()];

/** Labels for a batch of entries of one community: two queries whatever the batch's size. */
export function createEntryPlaces(models: Pick<Models, 'Household' | 'Node'>) {
  return async function placesOf(entries: Placed[]): Promise<Map<string, EntryPlace>> {
    const result = new Map<string, EntryPlace>();
    if (entries.length === 0) return result;
    const communityId = entries[0]!.communityId;
    const householdIds = unique(entries.flatMap((e) => (e.householdId ? [e.householdId] : [])));
    const households =
      householdIds.length > 0
        ? await models.Household.find({ _id: { $in: householdIds }, communityId }, { room: 1, ancestors: 1 }).lean<
            Pick<Household, '_id' | 'room' | 'ancestors'>[]
          >()
        : [];
    const nodeIds = unique([...entries.flatMap((e) => e.ancestors), ...households.flatMap((h) => h.ancestors)]);
    const nodes = await models.Node.find({ _id: { $in: nodeIds }, communityId }, { name: 1, kind: 1 }).lean<
      Pick<PlaceNode, '_id' | 'name' | 'kind'>[]
    >();
    const byId = new Map(nodes.map((n) => [String(n._id), n]));
    const chain = (ids: Types.ObjectId[]) => ids.flatMap((id) => byId.get(String(id)) ?? []);
    const below = (ids: Types.ObjectId[], kinds: string[]) => chain(ids).filter((n) => kinds.includes(n.kind));
    const householdById = new Map(households.map((h) => [String(h._id), h]));
    for (const e of entries) {
      const path = chain(e.ancestors);
      const node = byId.get(String(e.nodeId));
      const household = e.householdId ? householdById.get(String(e.householdId)) : undefined;
      const unitPath = household
        ? below(household.ancestors, ['building', 'unit'])
            .map((n) => n.name)
            .join('')
        : null;
      result.set(String(e._id), {
        place: {
          id: String(e.nodeId),
          kind: (node?.kind ?? 'estate') as NodeKind,
          name: node?.name ?? '',
          path: path.map((n) => n.name),
        },
        placeLabel: below(e.ancestors, ['estate', 'building', 'unit'])
          .map((n) => n.name)
          .join(' '),
        unitPath,
        room: household ? `${unitPath}${household.room}` : null,
        estateName: byId.get(String(e.estateId))?.name ?? '',
      });
    }
    return result;
  };
}
export type EntryPlaces = ReturnType<typeof createEntryPlaces>;

/** What a board shows of a published entry, apart from consent: a frozen month stores exactly this. */
export interface BoardRow {
  entryId: Types.ObjectId;
  colour: Colour;
  actLabel: string;
  points: number;
  placeLabel: string;
  unitPath: string | null;
  estateName: string;
  subjectUserId: Types.ObjectId | null;
  occurredAt: Date;
  publishedAt: Date;
  /** Only the cleared photos. */
  mediaIds: Types.ObjectId[];
  corrected: boolean;
}

/** The board rows of published entries (one community), labelled in one batch. */
export async function boardRows(places: EntryPlaces, entries: BoardEntry[]): Promise<BoardRow[]> {
  const where = await places(entries);
  return entries.map((e) => {
    const place = where.get(String(e._id))!;
    return {
      entryId: e._id,
      colour: e.colour as Colour,
      actLabel: e.act.label ?? '',
      points: e.act.points ?? 0,
      placeLabel: place.placeLabel,
      unitPath: place.unitPath,
      estateName: place.estateName,
      subjectUserId: e.colour === 'red' ? (e.subjectUserId ?? null) : null,
      occurredAt: e.occurredAt,
      publishedAt: e.publishedAt!,
      mediaIds: e.clearedMediaIds,
      corrected: e.state === 'removed',
    };
  });
}
