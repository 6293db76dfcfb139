import { Types } from 'mongoose';
import { maskName } from '../../../shared/masking';
import { channelLabel, type NodeKind } from '../../../shared/places';
import { permissions, type Role } from '../../../shared/roles';
import type { ChannelView, NoticePage, NoticeVersion, NoticeView } from '../../../shared/schemas/channels';
import type { ModerationState } from '../../../shared/schemas/platform';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { inScope } from '../../data/tenant-scope';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { MediaService } from '../media/service';
import type { Moderation } from '../moderation/service';
import { communityOf, type PlaceNode } from '../places/model';
import type { NodeRefs } from '../places/service';
import { ancestryOf, type Access, type Actor } from '../roles/access';
import type { Notice } from './model';

const CHANNEL_KINDS: NodeKind[] = ['unit', 'building', 'estate', 'community'];
const NOTICE_SORT = ['pinned', 'publishedAt', '_id'] as const;

/** Channels (the unit, building, estate and community "groups") and their notices with read receipts. */
export function createChannelService(deps: {
  models: Pick<Models, 'Node' | 'Notice' | 'NoticeRead' | 'Household' | 'User'>;
  access: Access;
  nodeRefs: NodeRefs;
  moderation: Pick<Moderation, 'screenText' | 'afterCreate' | 'visibleFilter'>;
  media: Pick<MediaService, 'views' | 'attachFor'>;
  audit: Pick<Audit, 'record'>;
  now: () => Date;
}) {
  const { models, access, nodeRefs, moderation } = deps;

  /** What of a channel the actor sees: staff everything, others published notices plus their own in review. */
  const visible = (actor: Actor, channel: PlaceNode) =>
    moderation.visibleFilter(actor, access.can(actor, 'moderation.review', channel), 'authorId');
  /** Not withdrawn: what lists and counts show (null also matches notices from before withdrawing existed). */
  const current = { withdrawnAt: null };

  /** Its author and the channel's staff may edit or withdraw a notice. */
  const manages = (actor: Actor, notice: Pick<Notice, 'authorId'>, channel: PlaceNode) =>
    notice.authorId.equals(actor.userId) || access.can(actor, 'moderation.review', channel);

  /** The channels on the caller's path: every unit-to-community node above (or at) a place they hold a role on. */
  async function myChannelNodes(actor: Actor): Promise<PlaceNode[]> {
    const roleNodes = await models.Node.find({
      _id: { $in: actor.effective.map((g) => new Types.ObjectId(g.nodeId)) },
      ...inScope(actor.scope),
    }).lean<PlaceNode[]>();
    const ids = new Set(roleNodes.flatMap((n) => ancestryOf(n)));
    const channels = await models.Node.find({
      _id: { $in: [...ids].map((id) => new Types.ObjectId(id)) },
      kind: { $in: CHANNEL_KINDS },
      ...inScope(actor.scope),
    }).lean<PlaceNode[]>();
    const depth = (n: PlaceNode) => CHANNEL_KINDS.indexOf(n.kind as NodeKind);
    return channels.sort((a, b) => depth(a) - depth(b) || a.name.localeCompare(b.name, 'zh'));
  }

  /** A channel the caller may read: on their path, or under a place where they may see receipts (staff, captains). */
  async function readableChannel(actor: Actor, channelId: string): Promise<PlaceNode> {
    const node = await access.findNode(actor, channelId);
    if (!CHANNEL_KINDS.includes(node.kind as NodeKind)) throw new NotFoundError('No such channel');
    const onPath = (await myChannelNodes(actor)).some((c) => c._id.equals(node._id));
    if (!onPath && !access.can(actor, 'notice.receipts', node)) throw new ForbiddenError('This channel is not yours');
    return node;
  }

  async function channels(actor: Actor): Promise<ChannelView[]> {
    const nodes = await myChannelNodes(actor);
    const refs = await nodeRefs(nodes);
    return Promise.all(
      nodes.map(async (node) => {
        const scope = { communityId: node.communityId, channelId: node._id };
        const [total, read, latest] = await Promise.all([
          models.Notice.countDocuments({ ...scope, ...current, 'moderation.state': 'visible' }),
          models.NoticeRead.countDocuments({ ...scope, userId: actor.userId }),
          models.Notice.findOne({ ...scope, ...current, 'moderation.state': 'visible' }, { title: 1, publishedAt: 1 })
            .sort({ publishedAt: -1 })
            .lean(),
        ]);
        return {
          node: refs.get(String(node._id))!,
          label: channelLabel[node.kind as NodeKind],
          unreadNotices: Math.max(0, total - read),
          latestNotice: latest
            ? { id: String(latest._id), title: latest.title, publishedAt: latest.publishedAt.toISOString() }
            : null,
          canPost: access.can(actor, 'notice.post', node),
        };
      }),
    );
  }

  /** Households with at least one member under the channel, and how many of them read the notice. */
  async function receipts(notice: Pick<Notice, '_id' | 'communityId' | 'channelId'>) {
    const [readers, totalHouseholds] = await Promise.all([
      models.NoticeRead.distinct('householdId', {
        communityId: notice.communityId,
        noticeId: notice._id,
        householdId: { $ne: null },
      }),
      models.Household.countDocuments({
        communityId: notice.communityId,
        ancestors: notice.channelId,
        'members.0': { $exists: true },
      }),
    ]);
    return { readHouseholds: readers.length, totalHouseholds };
  }

  async function noticeViews(actor: Actor, channel: PlaceNode, notices: Notice[]): Promise<NoticeView[]> {
    const [authors, reads] = await Promise.all([
      models.User.find({ _id: { $in: notices.map((n) => n.authorId) } }, { displayName: 1 }).lean(),
      models.NoticeRead.find(
        { communityId: channel.communityId, userId: actor.userId, noticeId: { $in: notices.map((n) => n._id) } },
        { noticeId: 1 },
      ).lean(),
    ]);
    const seesReceipts = access.can(actor, 'notice.receipts', channel);
    const photos = access.can(actor, 'moderation.review', channel) ? { standing: 'handling' as const } : {};
    return Promise.all(
      notices.map(async (n) => ({
        id: String(n._id),
        channelId: String(n.channelId),
        title: n.title,
        body: n.body,
        pinned: n.pinned,
        author: {
          displayName: maskName(authors.find((a) => a._id.equals(n.authorId))?.displayName ?? ''),
          role: n.authorRole as Role,
          isMe: n.authorId.equals(actor.userId),
        },
        publishedAt: n.publishedAt.toISOString(),
        readByMe: reads.some((r) => r.noticeId.equals(n._id)),
        media: await deps.media.views(actor, n.mediaIds, photos),
        moderation: n.moderation.state as ModerationState,
        editedAt: n.editedAt?.toISOString() ?? null,
        canManage: manages(actor, n, channel),
        ...(seesReceipts ? { receipts: await receipts(n) } : {}),
      })),
    );
  }

  async function notices(
    actor: Actor,
    channelId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<NoticePage> {
    const channel = await readableChannel(actor, channelId);
    const filter = {
      communityId: channel.communityId,
      channelId: channel._id,
      ...current,
      $and: [
        visible(actor, channel),
        cursor ? afterCursor(NOTICE_SORT, decodeCursor(cursor, ['boolean', 'date', 'objectId'])) : {},
      ],
    };
    const rows = await models.Notice.find(filter)
      .sort({ pinned: -1, publishedAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Notice[]>();
    const { items, nextCursor } = pageOf(rows, limit, NOTICE_SORT);
    return { items: await noticeViews(actor, channel, items), nextCursor };
  }

  /** The most senior role the actor holds over the channel, shown with the notice (楼长, 社区工作者…). */
  function posterRole(actor: Actor, channel: PlaceNode): Role | undefined {
    const allowed: readonly Role[] = permissions['notice.post'];
    const path = new Set(ancestryOf(channel));
    const held = actor.effective.filter((g) => path.has(g.nodeId) && allowed.includes(g.role)).map((g) => g.role);
    return [...allowed].reverse().find((role) => held.includes(role));
  }

  async function post(
    actor: Actor,
    channelId: string,
    body: { title: string; body: string; pinned?: boolean; mediaIds?: string[] },
  ): Promise<NoticeView> {
    const channel = await access.authorize(actor, 'notice.post', channelId);
    if (!CHANNEL_KINDS.includes(channel.kind as NodeKind)) throw new NotFoundError('No such channel');
    const text = { title: body.title.trim(), body: body.body.trim() };
    const communityId = communityOf(channel);
    const screening = await moderation.screenText(actor, 3, text, communityId);
    const _id = new Types.ObjectId();
    const notice = await deps.media.attachFor(
      actor,
      body.mediaIds ?? [],
      { kind: 'notice', itemId: _id, communityId },
      (mediaIds) =>
        models.Notice.create({
          _id,
          communityId,
          channelId: channel._id,
          ...text,
          pinned: body.pinned ?? false,
          authorId: actor.userId,
          // notice.post was just authorized on this channel, so the actor holds one of its roles.
          authorRole: posterRole(actor, channel)!,
          publishedAt: deps.now(),
          mediaIds,
          moderation: { state: screening.verdict === 'pass' ? 'visible' : 'review' },
        }),
    );
    await moderation.afterCreate('notice', notice, screening);
    await deps.audit.record({
      communityId,
      itemKind: 'notice',
      itemId: _id,
      nodeId: channel._id,
      action: 'posted',
      to: notice.moderation.state,
      actorId: actor.userId,
      actorRole: notice.authorRole,
    });
    return (await noticeViews(actor, channel, [notice.toObject<Notice>()]))[0]!;
  }

  /**
   * A notice the caller may see: in a channel they read, published or theirs (staff see all); withdrawn, only
   * its author and staff (its history stays theirs to read). Anything else is 404, in a channel not theirs
   * too: whether a notice exists is not told to those who may not read it.
   */
  async function visibleNotice(actor: Actor, noticeId: string): Promise<Notice> {
    const notice = Types.ObjectId.isValid(noticeId)
      ? await models.Notice.findOne({ _id: noticeId, ...inScope(actor.scope) }).lean<Notice>()
      : null;
    if (!notice) throw new NotFoundError('No such notice');
    const channel = await readableChannel(actor, String(notice.channelId)).catch((err: unknown) => {
      throw err instanceof ForbiddenError ? new NotFoundError('No such notice') : err;
    });
    const shown = await models.Notice.exists({
      _id: notice._id,
      communityId: notice.communityId,
      ...visible(actor, channel),
    });
    if (!shown || (notice.withdrawnAt && !manages(actor, notice, channel))) throw new NotFoundError('No such notice');
    return notice;
  }

  /** A notice its author or staff are changing: still current, else 404; another caller is refused. */
  async function managedNotice(actor: Actor, noticeId: string): Promise<{ notice: Notice; channel: PlaceNode }> {
    const notice = await visibleNotice(actor, noticeId);
    if (notice.withdrawnAt) throw new NotFoundError('The notice was withdrawn');
    const channel = await access.findNode(actor, notice.channelId);
    if (!manages(actor, notice, channel)) throw new ForbiddenError('Only its author and staff may change a notice');
    return { notice, channel };
  }

  /**
   * Its author or staff change a notice's text: checked again as when posting (risky is refused; doubtful sends
   * it back to review), the text it replaces kept among its versions, the change in its timeline.
   */
  async function edit(
    actor: Actor,
    noticeId: string,
    body: { title: string; body: string; pinned?: boolean },
  ): Promise<NoticeView> {
    const { notice, channel } = await managedNotice(actor, noticeId);
    const text = { title: body.title.trim(), body: body.body.trim() };
    const screening = await moderation.screenText(actor, 3, text, notice.communityId);
    const editorRole = posterRole(actor, channel) ?? notice.authorRole;
    const state = screening.verdict === 'review' ? 'review' : notice.moderation.state;
    const now = deps.now();
    const edited = await models.Notice.findOneAndUpdate(
      // The text read above is what goes into the versions: a concurrent edit makes this one 404, not lost.
      { _id: notice._id, communityId: notice.communityId, withdrawnAt: null, title: notice.title, body: notice.body },
      {
        $set: {
          ...text,
          ...(body.pinned === undefined ? {} : { pinned: body.pinned }),
          editedAt: now,
          'moderation.state': state,
        },
        $push: {
          versions: { title: notice.title, body: notice.body, replacedAt: now, editorId: actor.userId, editorRole },
        },
      },
      { returnDocument: 'after' },
    ).lean<Notice>();
    if (!edited) throw new NotFoundError('The notice changed meanwhile');
    await moderation.afterCreate('notice', edited, screening);
    await deps.audit.record({
      communityId: notice.communityId,
      itemKind: 'notice',
      itemId: notice._id,
      nodeId: channel._id,
      action: 'edited',
      from: notice.moderation.state,
      to: state,
      actorId: actor.userId,
      actorRole: editorRole,
    });
    return (await noticeViews(actor, channel, [edited]))[0]!;
  }

  /** Its author or staff withdraw a notice (已撤回): gone from every list, kept with its history for the audit. */
  async function withdraw(actor: Actor, noticeId: string): Promise<void> {
    const { notice, channel } = await managedNotice(actor, noticeId);
    const withdrawn = await models.Notice.updateOne(
      { _id: notice._id, communityId: notice.communityId, withdrawnAt: null },
      { $set: { withdrawnAt: deps.now() } },
    );
    if (withdrawn.modifiedCount === 0) throw new NotFoundError('The notice was withdrawn');
    await deps.audit.record({
      communityId: notice.communityId,
      itemKind: 'notice',
      itemId: notice._id,
      nodeId: channel._id,
      action: 'withdrawn',
      from: notice.moderation.state,
      to: notice.moderation.state,
      actorId: actor.userId,
      actorRole: posterRole(actor, channel) ?? notice.authorRole,
    });
  }

  /** What a notice said before each edit, newest first, for whoever may read it. */
  async function versions(actor: Actor, noticeId: string): Promise<NoticeVersion[]> {
    const notice = await visibleNotice(actor, noticeId);
    const editors = await models.User.find(
      { _id: { $in: notice.versions.map((v) => v.editorId) } },
      { displayName: 1 },
    ).lean();
    return notice.versions
      .map((v) => ({
        title: v.title,
        body: v.body,
        replacedAt: v.replacedAt.toISOString(),
        editor: {
          displayName: maskName(editors.find((e) => e._id.equals(v.editorId))?.displayName ?? ''),
          role: v.editorRole as Role,
        },
      }))
      .reverse();
  }

  /** Records that the caller read a notice (once), on behalf of their household under that channel. */
  async function markRead(actor: Actor, noticeId: string) {
    const notice = await visibleNotice(actor, noticeId);
    const household = await models.Household.findOne(
      { communityId: notice.communityId, ancestors: notice.channelId, 'members.userId': actor.userId },
      { _id: 1 },
    ).lean();
    await models.NoticeRead.updateOne(
      { communityId: notice.communityId, noticeId: notice._id, userId: actor.userId },
      {
        $setOnInsert: {
          channelId: notice.channelId,
          householdId: household?._id ?? null,
          readAt: deps.now(),
        },
      },
      { upsert: true },
    );
    return receipts(notice);
  }

  /** Moderators of a notice's channel handle it: they see its photos before WeChat's check. */
  async function moderates(actor: Actor, notice: Pick<Notice, 'channelId'>): Promise<boolean> {
    return access.can(actor, 'moderation.review', await access.findNode(actor, notice.channelId));
  }

  return { channels, notices, post, edit, withdraw, versions, markRead, visibleNotice, moderates };
}
