import type { Types } from 'mongoose';
import { actsProblem, type ActDefinition } from '../../../shared/boards';
import { ErrorCode } from '../../../shared/errors';
import type {
  BoardSettingsBody,
  BoardSettingsView,
  EntryListQuery,
  EntryPage,
  EntryView,
  NominateBody,
} from '../../../shared/schemas/boards';
import { itemIdFor } from '../../data/idempotency';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { inScope } from '../../data/tenant-scope';
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from '../../errors';
import type { Household, PlaceNode } from '../places/model';
import type { Actor } from '../roles/access';
import { communityFor } from '../volunteers/registration';
import type { BoardCore, BoardDeps } from './context';
import type { BoardEntry } from './model';
import type { BoardViews } from './view';

const NOMINATED_ON = ['estate', 'building', 'unit'];
/** A nomination may say it happened a few minutes ahead of the server's clock, never later. */
const CLOCK_SLACK_MS = 5 * 60_000;
const QUEUE: readonly string[] = ['nominated', 'awaiting_decision', 'appealed'];

/** The community's acts, nominating (with photos and the text check), adding information, and the lists. */
export function createNominations(deps: BoardDeps, core: BoardCore, views: BoardViews) {
  const { models, access } = deps;

  async function settings(actor: Actor, communityId: string): Promise<BoardSettingsView> {
    const community = await access.findNode(actor, communityId);
    if (community.kind !== 'community') throw new NotFoundError('No such community');
    return { acts: await core.actsOf(community._id), canEdit: access.can(actor, 'board.review', community) };
  }

  async function saveSettings(actor: Actor, communityId: string, body: BoardSettingsBody): Promise<BoardSettingsView> {
    const community = await access.authorize(actor, 'board.review', communityId);
    if (community.kind !== 'community') throw new BadRequestError('Settings belong to a community');
    const problem = actsProblem(body.acts as ActDefinition[]);
    if (problem) throw new AppError(422, ErrorCode.ACTS_INVALID, problem);
    await models.BoardSettings.updateOne(
      { communityId: community._id },
      { $set: { acts: body.acts } },
      { upsert: true },
    );
    return settings(actor, communityId);
  }

  /** The household concerned, in the place's community; for red, the named person must live there. */
  async function householdFor(body: NominateBody, communityId: Types.ObjectId): Promise<Household | null> {
    if (body.colour === 'red' && !body.householdId) throw new BadRequestError('Say which household did the good deed');
    if (body.colour === 'black' && body.subjectUserId)
      throw new BadRequestError('A black entry names no person', ErrorCode.VALIDATION_FAILED);
    if (!body.householdId) return null;
    const household = await models.Household.findOne({ _id: body.householdId, communityId }).lean<Household>();
    if (!household) throw new NotFoundError('No such household');
    if (body.subjectUserId && !household.members.some((m) => m.userId.equals(body.subjectUserId!)))
      throw new BadRequestError('The person named does not live in that household', ErrorCode.VALIDATION_FAILED);
    return household;
  }

  /**
   * Any member of the community nominates on its places (residents where they live, grid workers in their
   * grid, staff anywhere): the place must be an estate, building or unit of a community the caller belongs to.
   */
  async function create(actor: Actor, body: NominateBody): Promise<{ created: boolean; entry: EntryView }> {
    const existing = await models.BoardEntry.findOne({
      nominatedBy: actor.userId,
      idempotencyKey: body.idempotencyKey,
      ...inScope(actor.scope),
    }).lean<BoardEntry>();
    if (existing) return { created: false, entry: await views.one(actor, existing) };
    const node = await access.findNode(actor, body.nodeId);
    if (!NOMINATED_ON.includes(node.kind)) throw new BadRequestError('Nominate on an estate, building or unit');
    const communityId = node.communityId!;
    const act = (await core.actsOf(communityId)).find(
      (a) => a.key === body.act && a.colour === body.colour && a.enabled,
    );
    if (!act) throw new AppError(422, ErrorCode.ACTS_INVALID, 'No such act of that colour in this community');
    const occurredAt = new Date(body.occurredAt);
    if (occurredAt.getTime() > deps.now().getTime() + CLOCK_SLACK_MS)
      throw new BadRequestError('It cannot have happened in the future');
    const household = await householdFor(body, communityId);
    const around = [...node.ancestors, node._id, ...(household?.ancestors ?? [])];
    const nodes = await models.Node.find({ _id: { $in: around }, communityId }, { kind: 1, ancestors: 1 }).lean<
      PlaceNode[]
    >();
    const building = (ids: Types.ObjectId[]) =>
      nodes.find((n) => n.kind === 'building' && ids.some((id) => id.equals(n._id)))?._id ?? null;
    const estateId = nodes.find(
      (n) => n.kind === 'estate' && [...node.ancestors, node._id].some((id) => id.equals(n._id)),
    )!._id;
    const screening = await deps.moderation.screenText(actor, 1, { text: body.description }, communityId);
    const _id = itemIdFor(actor.userId, body.idempotencyKey);
    let entry: BoardEntry;
    try {
      entry = await deps.media.attachFor(
        actor,
        body.mediaIds ?? [],
        { kind: 'board_entry', itemId: _id, communityId },
        (mediaIds) =>
          deps.connection.transaction(async (session) => {
            const [created] = (await models.BoardEntry.create(
              [
                {
                  _id,
                  communityId,
                  nodeId: node._id,
                  ancestors: [...node.ancestors, node._id],
                  estateId,
                  colour: body.colour,
                  act: { key: act.key, colour: act.colour, label: act.label, points: act.points, enabled: true },
                  occurredAt,
                  description: body.description,
                  mediaIds,
                  householdId: household?._id ?? null,
                  buildingId: household ? building(household.ancestors) : building([...node.ancestors, node._id]),
                  subjectUserId: body.subjectUserId ?? null,
                  nominatedBy: actor.userId,
                  idempotencyKey: body.idempotencyKey,
                  moderation: { state: screening.verdict === 'pass' ? 'visible' : 'review' },
                  createdAt: deps.now(),
                },
              ],
              { session },
            )) as unknown as [BoardEntry];
            await deps.audit.record(
              {
                communityId,
                itemKind: 'board_entry',
                itemId: created._id,
                nodeId: node._id,
                action: 'nominate',
                to: 'nominated',
                actorId: actor.userId,
                actorRole: 'nominator',
              },
              session,
            );
            return created;
          }),
      );
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const winner = await models.BoardEntry.findOne({ _id, communityId }).lean<BoardEntry>();
      return { created: false, entry: await views.one(actor, winner!) };
    }
    await deps.moderation.afterCreate('board_entry', entry, screening);
    await core.tell(await core.staffOf(communityId), entry, '新的红黑榜提名待核实');
    return { created: true, entry: await views.one(actor, entry) };
  }

  /** The nominator answers staff's request for more: text (appended) and photos; back to staff. */
  async function addInfo(actor: Actor, id: string, body: { text: string; mediaIds?: string[] }): Promise<EntryView> {
    const { entry, standing } = await core.loadWith(actor, id);
    const screening = await deps.moderation.screenText(actor, 1, { text: body.text }, entry.communityId);
    const target = { kind: 'board_entry', itemId: entry._id, communityId: entry.communityId };
    const updated = await deps.media.attachFor(actor, body.mediaIds ?? [], target, (mediaIds) =>
      core.move(actor, entry, 'add_info', standing.parties, {
        set: {
          description: `${entry.description}\n补充：${body.text}`,
          ...(screening.verdict === 'pass' ? {} : { 'moderation.state': 'review' }),
        },
        update: { $addToSet: { mediaIds: { $each: mediaIds } } },
        note: body.text,
      }),
    );
    await deps.moderation.afterCreate('board_entry', updated, screening);
    await core.tell(await core.staffOf(updated.communityId), updated, '红黑榜提名已补充材料');
    return views.one(actor, updated);
  }

  /** Mine, my household's black entries, red entries naming me, and staff's queue: one community, newest first. */
  async function list(actor: Actor, query: EntryListQuery): Promise<EntryPage> {
    const communityId = communityFor(actor, query.communityId);
    let where: Record<string, unknown>;
    switch (query.view) {
      case 'mine':
        where = { nominatedBy: actor.userId };
        break;
      case 'household':
        where = { colour: 'black', householdId: { $in: [...(await core.householdsOf(actor, communityId))] } };
        break;
      case 'about_me':
        where = { colour: 'red', subjectUserId: actor.userId };
        break;
      case 'queue': {
        const community = await access.findNode(actor, communityId);
        if (!access.can(actor, 'board.review', community)) throw new ForbiddenError('Only staff work the queue');
        where = { state: { $in: QUEUE } };
        break;
      }
    }
    const fields = ['createdAt', '_id'] as const;
    const limit = query.limit ?? 20;
    const rows = await models.BoardEntry.find({
      communityId,
      ...where,
      ...(query.cursor ? { $and: [afterCursor(fields, decodeCursor(query.cursor, ['date', 'objectId']))] } : {}),
    })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<BoardEntry[]>();
    const page = pageOf(rows, limit, fields);
    return { items: await views.views(actor, page.items), nextCursor: page.nextCursor };
  }

  return { settings, saveSettings, create, addInfo, list };
}
export type Nominations = ReturnType<typeof createNominations>;
