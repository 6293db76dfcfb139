import type { Types } from 'mongoose';
import { availableEntryActions, subjectLabel, type Colour, type EntryState } from '../../../shared/boards';
import type { EntryView } from '../../../shared/schemas/boards';
import type { Actor } from '../roles/access';
import type { BoardCore, BoardDeps } from './context';
import type { BoardEntry } from './model';
import type { EntryPlaces } from './places';

/** The evidence photos not yet cleared for publication. */
export const unclearedOf = (e: Pick<BoardEntry, 'mediaIds' | 'clearedMediaIds'>) =>
  e.mediaIds.filter((id) => !e.clearedMediaIds.some((c) => c.equals(id)));

/** The display names of people, by id. */
export async function namesOf(
  models: BoardDeps['models'],
  ids: (Types.ObjectId | null | undefined)[],
): Promise<Map<string, string>> {
  const wanted = ids.filter((id): id is Types.ObjectId => !!id);
  if (wanted.length === 0) return new Map();
  const users = await models.User.find({ _id: { $in: wanted } }, { displayName: 1 }).lean();
  return new Map(users.map((u) => [String(u._id), u.displayName]));
}

/**
 * What a person sees of entries. Privacy lives here (PIPL Art. 25): the room and a red entry's person name go
 * only to staff, the household concerned and the named person; everyone else gets the label of
 * shared/boards.ts subjectLabel (a name only with the person's consent as it stands now, a black entry never
 * a name or a room). Evidence photos: whole to staff, the nominator and the household concerned (due process);
 * to everyone else only those cleared.
 */
export function createBoardViews(deps: Pick<BoardDeps, 'models' | 'media'>, core: BoardCore, places: EntryPlaces) {
  async function views(actor: Actor, entries: BoardEntry[]): Promise<EntryView[]> {
    if (entries.length === 0) return [];
    const [where, households, names] = await Promise.all([
      places(entries),
      core.householdsOf(actor, entries[0]!.communityId),
      namesOf(
        deps.models,
        entries.map((e) => e.subjectUserId),
      ),
    ]);
    return Promise.all(
      entries.map(async (e) => {
        const { parties, isSubject } = core.standingOf(actor, e, households);
        const staff = parties.includes('staff');
        const nominator = parties.includes('nominator');
        const household = parties.includes('household');
        const close = staff || household || isSubject;
        const place = where.get(String(e._id))!;
        const colour = e.colour as Colour;
        const personName = e.subjectUserId ? (names.get(String(e.subjectUserId)) ?? null) : null;
        const photoIds = staff || nominator || household ? e.mediaIds : e.clearedMediaIds;
        const standing = staff ? { standing: 'handling' as const } : {};
        const rectification = e.rectification;
        return {
          id: String(e._id),
          communityId: String(e.communityId),
          colour,
          act: { key: e.act.key ?? '', label: e.act.label ?? '', points: e.act.points ?? 0 },
          occurredAt: e.occurredAt.toISOString(),
          place: place.place,
          description: e.description,
          media: await deps.media.views(actor, photoIds, standing),
          unclearedPhotoIds: staff ? unclearedOf(e).map(String) : [],
          state: e.state as EntryState,
          subject: {
            label: subjectLabel({
              colour,
              unitPath: place.unitPath,
              estateName: place.estateName,
              personName,
              consent: !!e.consent,
            }),
            room: close ? place.room : null,
            personName: close && colour === 'red' ? personName : null,
            consent: colour === 'red' && e.subjectUserId ? !!e.consent : null,
          },
          month: e.month ?? null,
          respondBy: e.respondBy?.toISOString() ?? null,
          staffNote: staff || nominator ? (e.staffNote ?? null) : null,
          response:
            e.response && (staff || household)
              ? { text: e.response.text ?? '', at: e.response.at!.toISOString() }
              : null,
          rectification:
            rectification && (staff || household)
              ? {
                  note: rectification.note ?? '',
                  media: await deps.media.views(actor, rectification.mediaIds ?? [], standing),
                  at: rectification.at!.toISOString(),
                }
              : null,
          appeal:
            e.appeal && (staff || household)
              ? {
                  reason: e.appeal.reason ?? '',
                  at: e.appeal.at!.toISOString(),
                  decision: e.appeal.decision
                    ? { upheld: !!e.appeal.decision.upheld, note: e.appeal.decision.note ?? '' }
                    : null,
                }
              : null,
          actions: availableEntryActions({ state: e.state as EntryState, colour }, parties),
          isNominator: nominator,
          isHousehold: household,
          isSubject,
          publishedAt: e.publishedAt?.toISOString() ?? null,
          createdAt: e.createdAt.toISOString(),
        };
      }),
    );
  }

  async function one(actor: Actor, entry: BoardEntry): Promise<EntryView> {
    return (await views(actor, [entry]))[0]!;
  }

  return { views, one };
}
export type BoardViews = ReturnType<typeof createBoardViews>;
