import { Types, type ClientSession, type Connection } from 'mongoose';
import {
  DEFAULT_ACTS,
  entryMoves,
  entryStateLabel,
  mayTakeEntry,
  type ActDefinition,
  type Colour,
  type EntryAction,
  type EntryParty,
  type EntryState,
} from '../../../shared/boards';
import { ErrorCode } from '../../../shared/errors';
import { CROSS_COMMUNITY, inScope } from '../../data/tenant-scope';
import type { AppError } from '../../errors';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { JobRunner } from '../jobs/runner';
import type { MediaService } from '../media/service';
import type { Moderation } from '../moderation/service';
import { isVisible } from '../moderation/visibility';
import { notifyMove } from '../notifications/moves';
import type { Notifier } from '../notifications/service';
import type { Access, Actor } from '../roles/access';
import type { Household } from '../places/model';
import { communityStaff } from '../roles/staff';
import type { BoardEntry } from './model';

/** What every board service needs; each takes the parts it uses. */
export interface BoardDeps {
  connection: Connection;
  models: Pick<
    Models,
    | 'BoardEntry'
    | 'BoardSettings'
    | 'BoardPoints'
    | 'BoardLine'
    | 'BoardSnapshot'
    | 'BoardCorrection'
    | 'Household'
    | 'User'
    | 'Node'
    | 'RoleGrant'
    | 'Notice'
  >;
  access: Access;
  moderation: Pick<Moderation, 'screenText' | 'afterCreate'>;
  media: Pick<MediaService, 'attachFor' | 'views' | 'redact'>;
  audit: Pick<Audit, 'record'>;
  notifier: Pick<Notifier, 'notify'>;
  jobs: Pick<JobRunner, 'schedule' | 'cancel'>;
  now: () => Date;
}

/** States in which an entry stands on (or was struck from) its month's board, seen by the whole community. */
export const ON_BOARD: readonly EntryState[] = ['published', 'appealed', 'removed'];

export interface EntryMoveSpec {
  set?: Record<string, unknown>;
  update?: Record<string, unknown>;
  where?: Record<string, unknown>;
  /** Where the move leads when the state machine leaves it open (confirm). */
  to?: EntryState;
  note?: string | null;
  attachments?: Types.ObjectId[];
  within?: (updated: BoardEntry, session: ClientSession) => Promise<void>;
  conflict?: () => AppError;
}

/** Who the actor is on one entry: the parties of shared/boards.ts, and whether they are its named person. */
export interface Standing {
  parties: EntryParty[];
  isSubject: boolean;
}

/** Has the community's month been frozen? */
export async function isFrozen(
  models: Pick<Models, 'BoardSnapshot'>,
  communityId: Types.ObjectId,
  month: string | null | undefined,
): Promise<boolean> {
  return !!month && !!(await models.BoardSnapshot.exists({ communityId, month }));
}

/**
 * The entry primitive every board service shares: the community's acts, who plays which part on an entry, who
 * may see it, the one conditional update every move goes through (with its audit event) and notifications.
 */
export function createBoardCore(deps: BoardDeps) {
  const { models, access } = deps;
  const placeOf = (e: Pick<BoardEntry, 'nodeId' | 'ancestors'>) => ({
    _id: e.nodeId,
    ancestors: e.ancestors.filter((a) => !a.equals(e.nodeId)),
  });

  async function actsOf(communityId: Types.ObjectId): Promise<ActDefinition[]> {
    const found = await models.BoardSettings.findOne({ communityId }).lean();
    return found ? (found.acts as ActDefinition[]) : DEFAULT_ACTS.map((a) => ({ ...a }));
  }

  /** The households the actor belongs to in a community (read once per request). */
  async function householdsOf(actor: Actor, communityId: Types.ObjectId): Promise<Set<string>> {
    const own = await models.Household.find({ communityId, 'members.userId': actor.userId }, { _id: 1 }).lean();
    return new Set(own.map((h) => String(h._id)));
  }

  const isStaff = (actor: Actor, entry: Pick<BoardEntry, 'nodeId' | 'ancestors'>) =>
    access.can(actor, 'board.review', placeOf(entry));

  function standingOf(actor: Actor, entry: BoardEntry, households: Set<string>): Standing {
    const parties: EntryParty[] = [];
    if (entry.nominatedBy.equals(actor.userId)) parties.push('nominator');
    if (entry.colour === 'black' && entry.householdId && households.has(String(entry.householdId)))
      parties.push('household');
    if (isStaff(actor, entry)) parties.push('staff');
    return { parties, isSubject: !!entry.subjectUserId?.equals(actor.userId) };
  }

  /** The entry, when the actor may see it now, else 404: its inside always; the community once on the board. */
  async function loadWith(actor: Actor, id: string): Promise<{ entry: BoardEntry; standing: Standing }> {
    const entry = Types.ObjectId.isValid(id)
      ? await models.BoardEntry.findOne({ _id: id, ...inScope(actor.scope) }).lean<BoardEntry>()
      : null;
    if (!entry) throw new NotFoundError('No such entry');
    const standing = standingOf(actor, entry, await householdsOf(actor, entry.communityId));
    const inside = standing.parties.length > 0 || standing.isSubject;
    if (!inside && !(ON_BOARD.includes(entry.state as EntryState) && isVisible(entry)))
      throw new NotFoundError('No such entry');
    return { entry, standing };
  }

  const load = async (actor: Actor, id: string) => (await loadWith(actor, id)).entry;

  /** The entry, for its inside only (its timeline): 404 for anyone else. */
  async function loadInside(actor: Actor, id: string): Promise<BoardEntry> {
    const { entry, standing } = await loadWith(actor, id);
    if (standing.parties.length === 0 && !standing.isSubject) throw new NotFoundError('No such entry');
    return entry;
  }

  /** The audit event of a change to an entry, in the change's transaction. */
  function record(
    entry: BoardEntry,
    event: {
      action: string;
      from: string;
      to: string;
      actorId: Types.ObjectId | null;
      actorRole: string | null;
      note?: string | null;
    },
    attachments: Types.ObjectId[] | undefined,
    session: ClientSession,
  ) {
    return deps.audit.record(
      {
        communityId: entry.communityId,
        itemKind: 'board_entry',
        itemId: entry._id,
        nodeId: entry.nodeId,
        ...event,
        ...(attachments ? { attachments } : {}),
      },
      session,
    );
  }

  /**
   * Makes a move: checks it against the state machine for the parties given, then applies it as one update
   * conditional on the state and version seen, with its audit event (and `within`) in the same transaction.
   */
  async function move(
    actor: Actor | null,
    entry: BoardEntry,
    action: EntryAction,
    parties: EntryParty[],
    spec: EntryMoveSpec = {},
  ): Promise<BoardEntry> {
    const from = entry.state as EntryState;
    const subject = { state: from, colour: entry.colour as Colour };
    if (!mayTakeEntry(action, subject, parties)) {
      const move = entryMoves[action];
      if (move.from.includes(from) && move.colours.includes(subject.colour))
        throw new ForbiddenError(`Your part on this entry does not allow ${action}`);
      throw (
        spec.conflict?.() ?? new ConflictError(`An entry that is ${from} cannot take ${action}`, ErrorCode.ENTRY_STATE)
      );
    }
    const to = spec.to ?? entryMoves[action].to;
    return deps.connection.transaction(async (session) => {
      const updated = await models.BoardEntry.findOneAndUpdate(
        { _id: entry._id, communityId: entry.communityId, state: from, version: entry.version, ...spec.where },
        { ...spec.update, $set: { ...spec.set, state: to }, $inc: { version: 1 } },
        { returnDocument: 'after', session },
      ).lean<BoardEntry>();
      if (!updated) throw spec.conflict?.() ?? new ConflictError('The entry changed meanwhile', ErrorCode.ENTRY_STATE);
      await record(
        entry,
        { action, from, to, actorId: actor?.userId ?? null, actorRole: parties[0] ?? null, note: spec.note ?? null },
        spec.attachments,
        session,
      );
      await spec.within?.(updated, session);
      return updated;
    });
  }

  /**
   * A change that is no move (a photo cleared, consent given or revoked): one update conditional on `where`
   * (the version seen by default), with its audit event, in one transaction.
   */
  async function touch(
    actor: Actor,
    entry: BoardEntry,
    change: {
      where?: Record<string, unknown>;
      update: Record<string, unknown>;
      action: string;
      role: string;
      attachments?: Types.ObjectId[];
    },
  ): Promise<BoardEntry> {
    return deps.connection.transaction(async (session) => {
      const updated = await models.BoardEntry.findOneAndUpdate(
        { _id: entry._id, communityId: entry.communityId, ...(change.where ?? { version: entry.version }) },
        { ...change.update, $inc: { version: 1 } },
        { returnDocument: 'after', session },
      ).lean<BoardEntry>();
      if (!updated) throw new ConflictError('The entry changed meanwhile', ErrorCode.ENTRY_STATE);
      const at = { from: entry.state, to: entry.state };
      await record(
        entry,
        { action: change.action, ...at, actorId: actor.userId, actorRole: change.role },
        change.attachments,
        session,
      );
      return updated;
    });
  }

  /** An entry the job runner acts on: read across communities by id, since no one is logged in. */
  function loadForJob(id: string, where: Record<string, unknown>) {
    return models.BoardEntry.findOne({ _id: id, ...where })
      .setOptions(CROSS_COMMUNITY)
      .lean<BoardEntry>();
  }

  /** The members of the household an entry concerns. */
  async function membersOf(entry: Pick<BoardEntry, 'communityId' | 'householdId'>): Promise<Types.ObjectId[]> {
    if (!entry.householdId) return [];
    const household = await models.Household.findOne(
      { _id: entry.householdId, communityId: entry.communityId },
      { 'members.userId': 1 },
    ).lean<Pick<Household, 'members'>>();
    return household?.members.map((m) => m.userId) ?? [];
  }

  /** Inbox and subscribe message about an entry, to the people concerned. */
  async function tell(userIds: (Types.ObjectId | null | undefined)[], entry: BoardEntry, title: string) {
    const what = `${entry.act.label ?? ''}：${[...entry.description].slice(0, 16).join('')}`;
    await notifyMove(deps.notifier, {
      userIds,
      kind: 'board.updated',
      title,
      what,
      link: `packages/boards/detail/index?id=${entry._id}`,
      status: entryStateLabel[entry.state as EntryState],
      at: deps.now(),
    });
  }

  return {
    actsOf,
    householdsOf,
    isStaff,
    isVisible,
    standingOf,
    loadWith,
    load,
    loadInside,
    move,
    touch,
    loadForJob,
    staffOf: (communityId: Types.ObjectId) => communityStaff(models, communityId),
    membersOf,
    tell,
    isFrozen: (communityId: Types.ObjectId, month: string | null | undefined) => isFrozen(models, communityId, month),
    placeOf,
  };
}
export type BoardCore = ReturnType<typeof createBoardCore>;
