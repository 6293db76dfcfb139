import type { ClientSession, Types } from 'mongoose';
import type { Models } from '../../plugins/models';
import type { Access, Actor } from './access';

/**
 * How long an instance trusts an actor it cached before asking the database whether the user's authVersion moved
 * (one small read): the bound within which a change made through another instance takes effect here.
 */
export const AUTH_RECHECK_MS = 5_000;
/**
 * And how long before it loads the actor afresh whatever the version says, so a change that missed the bump (one
 * written straight into the collections) still reaches every session.
 */
export const AUTH_RELOAD_MS = 60_000;
/** Sessions remembered per instance; past this the oldest is dropped (it is loaded again when it calls). */
const MAX_SESSIONS = 20_000;

interface Cached {
  actor: Actor;
  userId: string;
  /** The user's authVersion read before the grants were, so a change racing the load is caught next check. */
  version: number;
  loadedAt: number;
  checkedAt: number;
}

/**
 * Who a session is, without asking the database on every request. Every change to what loadActor reads — role
 * grants, the grids grid workers cover, the communities under a street, the display name — and every end of a
 * session (logout, refresh-token theft, account deletion) bumps the user's `authVersion` after (or in the same
 * transaction as) the change, through `changed`. This instance then forgets the user at once; other instances see
 * the new version at their next check, within AUTH_RECHECK_MS.
 *
 * Answers computed from the actor alone (GET /me) are kept with it (`memoOf`) and end with it, so every change to
 * what they show bumps the version too: the profile and badges, households and their members' names, the user's
 * join requests and privacy acceptances.
 */
export function createActorCache(deps: {
  models: Pick<Models, 'User' | 'Session' | 'RoleGrant' | 'Node'>;
  access: Pick<Access, 'loadActor'>;
  /** Milliseconds, from the app's clock (tests move it by hand). */
  now: () => number;
}) {
  const { models } = deps;
  const sessions = new Map<string, Cached>();
  // Counts local forgets: a load that saw one happen meanwhile does not keep what it read.
  let forgets = 0;

  function forget(userIds: string[]): void {
    forgets += 1;
    const gone = new Set(userIds);
    for (const [sid, cached] of sessions) if (gone.has(cached.userId)) sessions.delete(sid);
  }

  /** The actor of a live session, or null when the session ended or the user is gone. */
  async function actorOf(userId: string, sessionId: string): Promise<Actor | null> {
    const at = deps.now();
    const cached = sessions.get(sessionId);
    if (cached && cached.userId === userId && at - cached.loadedAt < AUTH_RELOAD_MS) {
      if (at - cached.checkedAt < AUTH_RECHECK_MS) return cached.actor;
      const user = await models.User.findById(userId, { authVersion: 1 }).lean();
      if (user && user.authVersion === cached.version) {
        cached.checkedAt = at;
        return cached.actor;
      }
    }
    const seen = forgets;
    const [session, user] = await Promise.all([
      models.Session.exists({ _id: sessionId, userId, revokedAt: null }),
      models.User.findById(userId, { displayName: 1, authVersion: 1 }).lean(),
    ]);
    if (!session || !user) {
      sessions.delete(sessionId);
      return null;
    }
    const actor = await deps.access.loadActor(user, sessionId);
    if (seen === forgets) {
      sessions.delete(sessionId);
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      sessions.set(sessionId, { actor, userId, version: user.authVersion, loadedAt: at, checkedAt: at });
    }
    return actor;
  }

  /**
   * Call after changing what the actors of `userIds` are (or inside the transaction that changes it, with its
   * session): bumps their authVersion for every instance and forgets them here — again once the transaction
   * ended, as a request may have read the state before its commit.
   */
  async function changed(userIds: (Types.ObjectId | string)[], session?: ClientSession): Promise<void> {
    if (userIds.length === 0) return;
    await models.User.updateMany({ _id: { $in: userIds } }, { $inc: { authVersion: 1 } }, { session });
    const ids = userIds.map(String);
    forget(ids);
    session?.once('ended', () => forget(ids));
  }

  /** The grids of a community cover other buildings now: its grid workers' actors change. */
  async function gridsChangedIn(communityId: Types.ObjectId): Promise<void> {
    const grants = await models.RoleGrant.find({ communityId, gridId: { $ne: null } }, { userId: 1 }).lean();
    await changed(grants.map((g) => g.userId));
  }

  /** A community was made under `ancestors`: the street roles above it now reach it. */
  async function communityAdded(ancestors: Types.ObjectId[]): Promise<void> {
    const grants = await models.RoleGrant.find({ nodeId: { $in: ancestors }, communityId: null }, { userId: 1 }).lean();
    await changed(grants.map((g) => g.userId));
  }

  return { actorOf, changed, gridsChangedIn, communityAdded };
}
export type ActorCache = ReturnType<typeof createActorCache>;

// Keyed by the actor object itself: a reload makes a new one, so the answers kept for the old go with it.
const memos = new WeakMap<Actor, Map<string, unknown>>();

/**
 * What `compute` answers for this actor, computed once while the cached actor lives (a failed promise is not
 * kept): whatever follows from who the actor is (GET /me, the estates they see, their ranks by place).
 */
export function memoOf<T>(actor: Actor, key: string, compute: () => T): T {
  let answers = memos.get(actor);
  if (!answers) memos.set(actor, (answers = new Map()));
  if (answers.has(key)) return answers.get(key) as T;
  const answer = compute();
  answers.set(key, answer);
  if (answer instanceof Promise)
    answer.catch(() => {
      if (answers.get(key) === answer) answers.delete(key);
    });
  return answer;
}
