import { Types, type ClientSession, type Connection } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import {
  DEFAULT_WISH_SETTINGS,
  mayTake,
  wishActionLabel,
  wishKindLabel,
  wishMoves,
  wishStateLabel,
  type WishAction,
  type WishKind,
  type WishParty,
  type WishSettings,
  type WishState,
} from '../../../shared/wishes';
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
import type { NodeRefs } from '../places/service';
import type { Access, Actor } from '../roles/access';
import { communityStaff } from '../roles/staff';
import type { Wish } from './model';

/** What every wish service needs; each takes the parts it uses. */
export interface WishDeps {
  connection: Connection;
  models: Pick<
    Models,
    | 'Wish'
    | 'WishSettings'
    | 'WishOrganisation'
    | 'WishMessage'
    | 'Household'
    | 'User'
    | 'Node'
    | 'RoleGrant'
    | 'Notice'
  >;
  access: Access;
  nodeRefs: NodeRefs;
  moderation: Pick<Moderation, 'screenText' | 'afterCreate'>;
  media: Pick<MediaService, 'attachFor' | 'views'>;
  audit: Pick<Audit, 'record'>;
  notifier: Pick<Notifier, 'notify'>;
  jobs: Pick<JobRunner, 'schedule' | 'cancel'>;
  now: () => Date;
}

/** States in which a wish is on show to the whole community (when moderation lets its text through). */
export const ON_SHOW: readonly WishState[] = ['published', 'claimed', 'fulfilled', 'disputed', 'confirmed'];

export interface MoveSpec {
  set?: Record<string, unknown>;
  /** Other update operators ($push…). */
  update?: Record<string, unknown>;
  /** Extra conditions of the update. */
  where?: Record<string, unknown>;
  note?: string | null;
  attachments?: Types.ObjectId[];
  /** Work in the same transaction (jobs). */
  within?: (updated: Wish, session: ClientSession) => Promise<void>;
  /** The error when the conditional update finds the wish changed. */
  conflict?: () => AppError;
}

/**
 * The wish primitive every service shares: settings, who plays which part on a wish, who may see it, the one
 * conditional update every move goes through (with its audit event) and notifications.
 */
export function createWishCore(deps: WishDeps) {
  const { models, access } = deps;
  const placeOf = (w: Pick<Wish, 'nodeId' | 'ancestors'>) => ({
    _id: w.nodeId,
    ancestors: w.ancestors.filter((a) => !a.equals(w.nodeId)),
  });

  async function settingsOf(communityId: Types.ObjectId): Promise<WishSettings> {
    const found = await models.WishSettings.findOne({ communityId }).lean();
    return found
      ? {
          maxValueYuan: found.maxValueYuan,
          claimLapseDays: found.claimLapseDays,
          autoConfirmDays: found.autoConfirmDays,
        }
      : { ...DEFAULT_WISH_SETTINGS };
  }

  /** The caller's badges and organisations in a community: what they may claim as. */
  async function standingIn(actor: Actor, communityId: Types.ObjectId) {
    const [user, organisations] = await Promise.all([
      models.User.findById(actor.userId, { badges: 1 }).lean(),
      models.WishOrganisation.find({ communityId, members: actor.userId }, { name: 1 }).lean(),
    ]);
    return { badges: (user?.badges ?? []) as string[], organisations };
  }

  const isStaff = (actor: Actor, wish: Wish) => access.can(actor, 'wish.review', placeOf(wish));

  /** The parts the actor plays on the wish; `eligible` needs their standing (null: not asked). */
  function partiesOf(actor: Actor, wish: Wish, eligible = false): WishParty[] {
    const parties: WishParty[] = [];
    if (wish.postedBy.equals(actor.userId)) parties.push('owner');
    if (wish.claim?.userId.equals(actor.userId)) parties.push('claimant');
    if (isStaff(actor, wish)) parties.push('staff');
    if (eligible) parties.push('eligible');
    return parties;
  }

  /** The poster or proxy, the claimant and staff: those who may know who the beneficiary is. */
  const isInside = (actor: Actor, wish: Wish) => partiesOf(actor, wish).length > 0;

  /**
   * The wish, when the actor may see it now, else 404: its inside always; the community once it is on show
   * and moderation lets it through.
   */
  async function load(actor: Actor, id: string): Promise<Wish> {
    const wish = Types.ObjectId.isValid(id)
      ? await models.Wish.findOne({ _id: id, ...inScope(actor.scope) }).lean<Wish>()
      : null;
    if (!wish || !(isInside(actor, wish) || (ON_SHOW.includes(wish.state as WishState) && isVisible(wish))))
      throw new NotFoundError('No such wish');
    return wish;
  }

  /** The wish, for its inside only (its timeline, messages): 404 for anyone else. */
  async function loadInside(actor: Actor, id: string): Promise<Wish> {
    const wish = await load(actor, id);
    if (!isInside(actor, wish)) throw new NotFoundError('No such wish');
    return wish;
  }

  /**
   * Makes a move: checks it against the state machine for the parties given, then applies it as one update
   * conditional on the state and version seen, with its audit event (and `within`) in the same transaction.
   */
  async function move(
    actor: Actor | null,
    wish: Wish,
    action: WishAction,
    parties: WishParty[],
    spec: MoveSpec = {},
  ): Promise<Wish> {
    const from = wish.state as WishState;
    if (!mayTake(action, from, parties)) {
      if (wishMoves[action].from.includes(from))
        throw new ForbiddenError(`Your part on this wish does not allow ${action}`);
      throw (
        spec.conflict?.() ?? new ConflictError(`A wish that is ${from} cannot take ${action}`, ErrorCode.WISH_STATE)
      );
    }
    const to = wishMoves[action].to;
    return deps.connection.transaction(async (session) => {
      const updated = await models.Wish.findOneAndUpdate(
        { _id: wish._id, communityId: wish.communityId, state: from, version: wish.version, ...spec.where },
        { ...spec.update, $set: { ...spec.set, state: to }, $inc: { version: 1 } },
        { returnDocument: 'after', session },
      ).lean<Wish>();
      if (!updated) throw spec.conflict?.() ?? new ConflictError('The wish changed meanwhile', ErrorCode.WISH_STATE);
      await deps.audit.record(
        {
          communityId: wish.communityId,
          itemKind: 'wish',
          itemId: wish._id,
          nodeId: wish.nodeId,
          action,
          from,
          to,
          actorId: actor?.userId ?? null,
          actorRole: parties[0] ?? null,
          note: spec.note ?? null,
          ...(spec.attachments ? { attachments: spec.attachments } : {}),
        },
        session,
      );
      await spec.within?.(updated, session);
      return updated;
    });
  }

  /** A wish the job runner acts on: read across communities by id, since no one is logged in. */
  function loadForJob(id: string, where: Record<string, unknown>) {
    return models.Wish.findOne({ _id: id, ...where })
      .setOptions(CROSS_COMMUNITY)
      .lean<Wish>();
  }

  /** The community's staff (who review and decide disputes). */
  const staffOf = (wish: Pick<Wish, 'communityId'>) => communityStaff(models, wish.communityId);

  /** Inbox and subscribe message about a move, to the people concerned. */
  async function tell(userIds: (Types.ObjectId | null | undefined)[], wish: Wish, title: string) {
    const what = `${wishKindLabel[wish.kind as WishKind]}：${[...wish.text].slice(0, 20).join('')}`;
    await notifyMove(deps.notifier, {
      userIds,
      kind: 'wish.updated',
      title,
      what,
      link: `packages/wishes/detail/index?id=${wish._id}`,
      status: wishStateLabel[wish.state as WishState],
      at: deps.now(),
    });
  }

  /** The words of a move. */
  const moved = (action: WishAction) => `微心愿${wishActionLabel[action]}`;

  return {
    settingsOf,
    standingIn,
    partiesOf,
    isInside,
    isStaff,
    isVisible,
    load,
    loadInside,
    loadForJob,
    move,
    staffOf,
    tell,
    moved,
    placeOf,
  };
}
export type WishCore = ReturnType<typeof createWishCore>;
