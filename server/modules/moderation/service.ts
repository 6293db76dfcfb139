import type { FastifyBaseLogger } from 'fastify';
import type { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName } from '../../../shared/masking';
import { outranks } from '../../../shared/roles';
import type {
  BanView,
  ModerationCasePage,
  ModerationCaseView,
  ModerationState,
} from '../../../shared/schemas/platform';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { inScope } from '../../data/tenant-scope';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { WechatClient } from '../../wechat/client';
import type { Audit, EventInput } from '../audit/service';
import type { MediaService } from '../media/service';
import type { Notifier } from '../notifications/service';
import { ancestryOf, type Access, type Actor } from '../roles/access';
import { localRiskyWord } from './keywords';
import type { Items, ModeratedItem, ModeratedKind } from './kinds';
import type { ModerationCase } from './model';

const CASE_SORT = ['createdAt', '_id'] as const;

export type TextVerdict = 'pass' | 'review';
/** WeChat's msgSecCheck scenes: 1 profile, 2 comment, 3 forum post, 4 social log. */
export type Scene = 1 | 2 | 3 | 4;

const FLAGS_TO_HIDE = 3;
const CHECK_CHUNK = 2500;

export class ContentRiskyError extends AppError {
  constructor() {
    super(422, ErrorCode.CONTENT_RISKY, 'The text contains content that may not be published; please change it');
  }
}

/**
 * Content security and the moderation queue. Every user text passes `screenText` before anyone else sees
 * it; flags, the staff queue and bans live here too, working on any item kind registered in kinds.ts.
 */
export function createModeration(deps: {
  models: Pick<Models, 'ModerationCase' | 'User'>;
  items: Pick<Items, 'spec' | 'seen'>;
  wechat: Pick<WechatClient, 'msgSecCheck'>;
  access: Access;
  audit: Audit;
  media: Pick<MediaService, 'views' | 'redact'>;
  notifier: Pick<Notifier, 'notify'>;
  now: () => Date;
  log: FastifyBaseLogger;
}) {
  const { models, items, access } = deps;

  /**
   * WeChat's verdict on the fields together: 'pass', 'review' (publish to author and staff only), or a
   * ContentRiskyError. An author banned in `communityId`, where the text is to appear, is refused first; text
   * shown in every community (a profile's, `communityId` null) is refused under any ban. Without WeChat the
   * local list decides risky, and everything else waits for staff ('review'): fail closed, never open.
   */
  async function screenText(
    actor: Actor,
    scene: Scene,
    fields: Record<string, string | undefined>,
    communityId: Types.ObjectId | null,
  ): Promise<{ verdict: TextVerdict; checked: boolean }> {
    const user = await models.User.findById(actor.userId, { openid: 1, bans: 1 }).lean();
    const ban = user?.bans.find((b) => b.until > deps.now() && (!communityId || b.communityId.equals(communityId)));
    if (ban) throw new ForbiddenError(`You may not post until ${ban.until.toISOString()}`, ErrorCode.USER_BANNED);
    const text = Object.values(fields).filter(Boolean).join('\n');
    if (!text.trim()) return { verdict: 'pass', checked: true };
    try {
      let verdict: TextVerdict = 'pass';
      for (let start = 0; start < text.length; start += CHECK_CHUNK) {
        const result = await deps.wechat.msgSecCheck({
          openid: user!.openid,
          scene,
          content: text.slice(start, start + CHECK_CHUNK),
        });
        if (result.suggest === 'risky') throw new ContentRiskyError();
        if (result.suggest === 'review') verdict = 'review';
      }
      return { verdict, checked: true };
    } catch (err) {
      if (err instanceof ContentRiskyError) throw err;
      deps.log.warn({ err: (err as Error).message }, 'msgSecCheck unavailable; falling back to the local list');
      if (localRiskyWord(text)) throw new ContentRiskyError();
      return { verdict: 'review', checked: false };
    }
  }

  const kindOf = items.spec;

  /** Opens (or joins) the open case for an item; a case already open keeps its first reason. */
  async function openCase(
    kind: string,
    item: Pick<ModeratedItem, '_id' | 'communityId'>,
    reason: ModerationCase['reason'],
  ): Promise<void> {
    await models.ModerationCase.updateOne(
      { communityId: item.communityId, kind, itemId: item._id, status: 'open' },
      { $setOnInsert: { reason } },
      { upsert: true },
    ).catch((err: { code?: number }) => {
      // Two openers at once: the unique open-case index let one in, which is what we want.
      if (err.code !== 11000) throw err;
    });
  }

  /** After creating an item: queue it for staff when the text check asked for review or could not run. */
  async function afterCreate(
    kind: string,
    item: Pick<ModeratedItem, '_id' | 'communityId'>,
    screening: { verdict: TextVerdict; checked: boolean },
  ) {
    if (screening.verdict === 'review')
      await openCase(kind, item, screening.checked ? 'text-review' : 'check-unavailable');
  }

  /**
   * A resident flags an item they can see (through the item's own visibility rule: what they cannot read is
   * 404, whether it exists or not); the third distinct flag hides it until staff decide.
   */
  async function flag(
    actor: Actor,
    kind: string,
    id: string,
    reason: string,
  ): Promise<{ flags: number; hidden: boolean }> {
    const { spec, item } = await items.seen(actor, kind, id);
    if (item.moderation?.state !== 'visible') throw new NotFoundError('No such item');
    if ((item[spec.authorField] as Types.ObjectId).equals(actor.userId))
      throw new ForbiddenError('You cannot flag your own post');
    const updated = (await spec.model
      .findOneAndUpdate(
        { _id: item._id, communityId: item.communityId, 'moderation.flaggedBy': { $ne: actor.userId } },
        { $addToSet: { 'moderation.flaggedBy': actor.userId } },
        { returnDocument: 'after' },
      )
      .lean()) as ModeratedItem | null;
    if (!updated) throw new ConflictError('You already flagged this', ErrorCode.ALREADY_FLAGGED);
    await models.ModerationCase.updateOne(
      { communityId: item.communityId, kind, itemId: item._id, status: 'open' },
      { $setOnInsert: { reason: 'flags' }, $push: { flags: { userId: actor.userId, reason, at: deps.now() } } },
      { upsert: true },
    );
    const flags = updated.moderation!.flaggedBy.length;
    let hidden = false;
    if (flags >= FLAGS_TO_HIDE) {
      const result = await spec.model.updateOne(
        { _id: item._id, communityId: item.communityId, 'moderation.state': 'visible' },
        { $set: { 'moderation.state': 'hidden' } },
      );
      hidden = true;
      if (result.modifiedCount === 1) {
        await deps.audit.record({
          communityId: item.communityId,
          itemKind: kind,
          itemId: item._id,
          action: 'hidden-by-flags',
          from: 'visible',
          to: 'hidden',
        });
      }
    }
    return { flags, hidden };
  }

  async function caseViews(actor: Actor, cases: ModerationCase[]): Promise<ModerationCaseView[]> {
    return Promise.all(
      cases.map(async (c) => {
        const spec = kindOf(c.kind);
        const item = (await spec.model
          .findOne({ _id: c.itemId, communityId: c.communityId })
          .lean()) as ModeratedItem | null;
        const authorId = item?.[spec.authorField] as Types.ObjectId | undefined;
        const author = authorId ? await models.User.findById(authorId, { displayName: 1 }).lean() : null;
        const mediaIds =
          (spec.mediaField ? (item?.[spec.mediaField] as Types.ObjectId[] | undefined) : undefined) ?? [];
        const media = await deps.media.views(actor, mediaIds, { standing: 'handling' });
        return {
          id: String(c._id),
          kind: c.kind,
          itemId: String(c.itemId),
          reason: c.reason as ModerationCaseView['reason'],
          status: c.status as ModerationCaseView['status'],
          text: Object.fromEntries(spec.textFields.map((f) => [f, String(item?.[f] ?? '')])),
          media: media.map((m) => ({
            id: m.id,
            checkStatus: m.checkStatus,
            url: m.url!,
            width: m.width,
            height: m.height,
          })),
          author: { id: String(authorId ?? ''), displayName: maskName(author?.displayName ?? '') },
          flags: c.flags.map((f) => ({ reason: f.reason ?? '', at: (f.at ?? c.createdAt).toISOString() })),
          itemState: (item?.moderation?.state ?? 'hidden') as ModerationState,
          createdAt: c.createdAt.toISOString(),
          ...(c.decision ? { decision: c.decision } : {}),
        };
      }),
    );
  }

  /**
   * A page of cases in the communities where the actor moderates: open ones oldest first (the queue), closed
   * ones newest first (the record).
   */
  async function queue(
    actor: Actor,
    query: { status: 'open' | 'closed'; cursor?: string; limit: number },
  ): Promise<ModerationCasePage> {
    const communities = await moderatedCommunities(actor);
    const direction = query.status === 'open' ? 'asc' : 'desc';
    const after = query.cursor
      ? afterCursor(CASE_SORT, decodeCursor(query.cursor, ['date', 'objectId']), direction)
      : {};
    const order = direction === 'asc' ? 1 : -1;
    const scope = { communityId: { $in: communities }, status: query.status };
    const [rows, total] = await Promise.all([
      models.ModerationCase.find({ ...scope, ...after })
        .sort({ createdAt: order, _id: order })
        .limit(query.limit + 1)
        .lean<ModerationCase[]>(),
      models.ModerationCase.countDocuments(scope),
    ]);
    const { items, nextCursor } = pageOf(rows, query.limit, CASE_SORT);
    return { items: await caseViews(actor, items), nextCursor, total };
  }

  type Decision =
    | { action: 'approve' }
    | { action: 'hide' }
    | { action: 'edit'; text: Record<string, string> }
    | { action: 'redact-photo'; mediaId: string; rects: { x: number; y: number; width: number; height: number }[] };

  /** A case the actor may moderate. */
  async function findCase(actor: Actor, caseId: string): Promise<ModerationCase> {
    const c = await models.ModerationCase.findOne({ _id: caseId, ...inScope(actor.scope) }).lean<ModerationCase>();
    if (!c) throw new NotFoundError('No such case');
    await access.authorize(actor, 'moderation.review', c.communityId);
    return c;
  }

  /** One case, for the pages that work on it (blacking out a photo). */
  async function getCase(actor: Actor, caseId: string): Promise<ModerationCaseView> {
    return (await caseViews(actor, [await findCase(actor, caseId)]))[0]!;
  }

  /** Staff decide a case: approve (publish), hide, edit/redact the text, or black out parts of a photo. */
  async function decide(actor: Actor, caseId: string, decision: Decision): Promise<ModerationCaseView> {
    const c = await findCase(actor, caseId);
    if (c.status !== 'open') throw new ConflictError('This case is already closed', ErrorCode.CASE_CLOSED);
    const spec = kindOf(c.kind);
    const item = (await spec.model
      .findOne({ _id: c.itemId, communityId: c.communityId })
      .lean()) as ModeratedItem | null;
    if (!item) throw new NotFoundError('The item is gone');
    const before = item.moderation?.state ?? 'visible';

    if (decision.action === 'redact-photo') {
      const mediaIds = ((spec.mediaField ? item[spec.mediaField] : undefined) as Types.ObjectId[] | undefined) ?? [];
      if (!mediaIds.some((m) => m.equals(decision.mediaId)))
        throw new NotFoundError('That photo is not part of this item');
      await deps.media.redact(actor, decision.mediaId, decision.rects);
    } else {
      const unknown =
        decision.action === 'edit' ? Object.keys(decision.text).filter((f) => !spec.textFields.includes(f)) : [];
      if (unknown.length > 0)
        throw new AppError(400, ErrorCode.VALIDATION_FAILED, `Not editable: ${unknown.join(', ')}`);
      const state: ModerationState = decision.action === 'hide' ? 'hidden' : 'visible';
      await spec.model.updateOne(
        { _id: item._id, communityId: item.communityId },
        {
          $set: {
            'moderation.state': state,
            'moderation.flaggedBy': [],
            // The item's own text fields by name (unknown ones were refused above), never the body's keys.
            ...(decision.action === 'edit'
              ? Object.fromEntries(
                  spec.textFields.filter((f) => Object.hasOwn(decision.text, f)).map((f) => [f, decision.text[f]]),
                )
              : {}),
          },
        },
      );
    }
    // Redacting a photo leaves the case open: staff still decide on the item itself.
    if (decision.action !== 'redact-photo') {
      const closed = await models.ModerationCase.updateOne(
        { _id: c._id, communityId: c.communityId, status: 'open' },
        { $set: { status: 'closed', decision: decision.action, decidedBy: actor.userId, decidedAt: deps.now() } },
      );
      if (closed.modifiedCount === 0) throw new ConflictError('This case is already closed', ErrorCode.CASE_CLOSED);
    }
    await deps.audit.record({
      communityId: c.communityId,
      itemKind: c.kind,
      itemId: c.itemId,
      nodeId: item[spec.nodeField] as Types.ObjectId,
      action: `moderation:${decision.action}`,
      from: before,
      to: decision.action === 'hide' ? 'hidden' : decision.action === 'redact-photo' ? before : 'visible',
      actorId: actor.userId,
      actorRole: 'community_staff',
    });
    if (decision.action !== 'redact-photo') await tellAuthor(spec, item, decision.action);
    const updated = await models.ModerationCase.findOne({
      _id: c._id,
      communityId: c.communityId,
    }).lean<ModerationCase>();
    return (await caseViews(actor, [updated!]))[0]!;
  }

  /** The author hears what staff decided about their post. */
  async function tellAuthor(
    spec: ModeratedKind,
    item: ModeratedItem,
    action: 'approve' | 'hide' | 'edit',
  ): Promise<void> {
    const outcome = { approve: '已通过审核', hide: '未通过审核，已隐藏', edit: '经编辑后发布' }[action];
    const title = [...String(item[spec.textFields[0]!] ?? '')].slice(0, 12).join('');
    await deps.notifier.notify({
      userIds: [item[spec.authorField] as Types.ObjectId],
      kind: 'moderation.decided',
      title: '内容审核结果',
      body: `您发布的「${title}」${outcome}`,
      data: {
        title,
        status: action === 'hide' ? '未通过' : '已通过',
        time: deps.now().toISOString().slice(0, 16).replace('T', ' '),
      },
    });
  }

  /** The communities where the actor moderates; only community staff (and above) have any. */
  async function moderatedCommunities(actor: Actor): Promise<Types.ObjectId[]> {
    const communities = [];
    for (const id of actor.scope.communityIds) {
      if (access.can(actor, 'moderation.review', await access.findNode(actor, id))) communities.push(id);
    }
    if (communities.length === 0) throw new ForbiddenError('Only community staff moderate');
    return communities;
  }

  /**
   * A person the actor may ban or let post again: one of a community the actor moderates (the first such is the
   * one a ban is for), with their roles, and the communities the actor moderates.
   */
  async function moderatedPerson(actor: Actor, userId: string) {
    const target = await models.User.findById(userId, { _id: 1 }).lean();
    if (!target) throw new NotFoundError('No such person');
    const moderated = await moderatedCommunities(actor);
    const theirs = await access.loadActor({ _id: target._id, displayName: '' }, '');
    const communityId = moderated.find((m) => theirs.scope.communityIds.some((c) => c.equals(m)));
    if (!communityId) throw new NotFoundError('No such person in your community');
    return { userId: target._id, communityId, grants: theirs.effective, moderated };
  }

  /** A ban and its lifting are events of the person in the community whose staff decided them. */
  const recordBan = (
    actor: Actor,
    person: { userId: Types.ObjectId; communityId: Types.ObjectId },
    change: Pick<EventInput, 'action' | 'to' | 'note'>,
  ) =>
    deps.audit.record({
      communityId: person.communityId,
      itemKind: 'user',
      itemId: person.userId,
      actorId: actor.userId,
      actorRole: 'community_staff',
      ...change,
    });

  /**
   * Staff ban a person from posting in their community for some days. Bans only reach down: community staff
   * cannot silence their peers, nor the street's staff and admins.
   */
  async function ban(actor: Actor, userId: string, days: number, reason: string): Promise<{ bannedUntil: string }> {
    const person = await moderatedPerson(actor, userId);
    const community = await access.findNode(actor, person.communityId);
    if (!outranks(actor.effective, person.grants, ancestryOf(community))) {
      throw new ForbiddenError('You may not ban someone of your rank or above', ErrorCode.ROLE_ABOVE_RANK);
    }
    const now = deps.now();
    const bannedUntil = new Date(now.getTime() + days * 86_400_000);
    // One write replaces this community's ban (dropping ended ones on the way), so two bans at once leave one.
    const kept = {
      $filter: {
        input: { $ifNull: ['$bans', []] },
        cond: { $and: [{ $ne: ['$$this.communityId', person.communityId] }, { $gt: ['$$this.until', now] }] },
      },
    };
    // $literal: a reason reading like `$field` stays text.
    const added = { $literal: [{ communityId: person.communityId, until: bannedUntil, reason }] };
    await models.User.updateOne({ _id: person.userId }, [{ $set: { bans: { $concatArrays: [kept, added] } } }], {
      updatePipeline: true,
    });
    await recordBan(actor, person, { action: 'ban', to: bannedUntil.toISOString(), note: reason });
    return { bannedUntil: bannedUntil.toISOString() };
  }

  /**
   * Lets a banned person post again at once in every community the actor moderates; lifting a ban that has ended
   * or was lifted changes nothing.
   */
  async function liftBan(actor: Actor, userId: string): Promise<void> {
    const person = await moderatedPerson(actor, userId);
    const now = deps.now();
    const before = await models.User.findOneAndUpdate(
      { _id: person.userId },
      { $pull: { bans: { communityId: { $in: person.moderated } } } },
      { projection: { bans: 1 }, returnDocument: 'before' },
    ).lean();
    for (const lifted of before?.bans ?? []) {
      if (lifted.until > now && person.moderated.some((m) => m.equals(lifted.communityId)))
        await recordBan(actor, { userId: person.userId, communityId: lifted.communityId }, { action: 'ban-lifted' });
    }
  }

  /** The people banned now in the actor's communities, soonest ban end first. */
  async function bans(actor: Actor): Promise<BanView[]> {
    const moderated = await moderatedCommunities(actor);
    const now = deps.now();
    const banned = await models.User.find(
      { bans: { $elemMatch: { communityId: { $in: moderated }, until: { $gt: now } } } },
      { displayName: 1, bans: 1 },
    ).lean();
    const views = banned.map((user): BanView => {
      // Someone banned in several of the actor's communities is listed once, until their last ban there ends.
      const last = user.bans
        .filter((b) => b.until > now && moderated.some((m) => m.equals(b.communityId)))
        .reduce((a, b) => (b.until > a.until ? b : a));
      return {
        userId: String(user._id),
        displayName: maskName(user.displayName),
        bannedUntil: last.until.toISOString(),
        reason: last.reason ?? '',
      };
    });
    return views.sort((a, b) => a.bannedUntil.localeCompare(b.bannedUntil));
  }

  /** The visibility filter for listing items: staff see everything, others what is visible plus their own. */
  function visibleFilter(actor: Actor, isModerator: boolean, authorField: string): Record<string, unknown> {
    if (isModerator) return {};
    return { $or: [{ 'moderation.state': 'visible' }, { [authorField]: actor.userId, 'moderation.state': 'review' }] };
  }

  return { screenText, afterCreate, openCase, flag, queue, getCase, decide, ban, liftBan, bans, visibleFilter };
}
export type Moderation = ReturnType<typeof createModeration>;
