import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { acceptDeadline, type ResponseLevel } from '../../../shared/reports';
import type { ReportView, SubmitReportBody } from '../../../shared/schemas/reports';
import { itemIdFor } from '../../data/idempotency';
import { inScope } from '../../data/tenant-scope';
import { AppError } from '../../errors';
import { communityOf, type PlaceNode } from '../places/model';
import { ancestryOf, type Actor } from '../roles/access';
import { recordConsent } from '../privacy/consents';
import type { Report } from './model';
import type { ReportDeps } from './context';
import type { Dispatch } from './dispatch';
import type { Lists } from './lists';

/** How a report reaches us: the places it may be filed on, and what the filing records in the timeline. */
interface FilingChannel {
  source: 'app' | 'open311';
  kinds: readonly string[];
  note: string | null;
}
const RESIDENT_CHANNEL: FilingChannel = {
  source: 'app',
  kinds: ['unit', 'building', 'estate'],
  note: null,
};

/** Filing a report, from a resident or through Open311. */
export function createFiling(deps: ReportDeps, { views }: Pick<Lists, 'views'>, dispatch: Dispatch) {
  const { models, access, categories } = deps;
  const { dispatchersOf, place, tell, scheduleDeadline } = dispatch;

  /** The place a report is filed on: the given unit/building/estate, or the reporter's own unit. */
  async function placeFor(
    actor: Actor,
    nodeId: string | undefined,
    kinds = RESIDENT_CHANNEL.kinds,
  ): Promise<PlaceNode> {
    if (nodeId) {
      const node = await access.findNode(actor, nodeId);
      if (!kinds.includes(node.kind))
        throw new AppError(400, ErrorCode.BAD_REQUEST, 'Report on a unit, building or estate');
      return node;
    }
    const household = await models.Household.findOne(
      { 'members.userId': actor.userId, ...inScope(actor.scope) },
      { unitId: 1, communityId: 1 },
    ).lean();
    if (!household)
      throw new AppError(400, ErrorCode.NO_HOUSEHOLD, 'Join your household first, or choose the place of the problem');
    return access.findNode(actor, household.unitId);
  }

  async function submit(actor: Actor, body: SubmitReportBody): Promise<{ created: boolean; report: ReportView }> {
    return file(actor, body, RESIDENT_CHANNEL);
  }

  /**
   * Files a report an external system (an Open311 client such as a city hotline) sends on a caller's behalf,
   * as that client's system user: no photos, the same text check, deadlines and dispatch as a resident's.
   * Without a finer place the client may name the community itself. A `media_url` the client sent is kept as
   * the note of the filing in the timeline; it is never downloaded.
   */
  async function submitExternal(
    client: Actor,
    body: Pick<SubmitReportBody, 'category' | 'description' | 'location' | 'idempotencyKey'> & {
      nodeId: string;
      mediaUrl?: string;
    },
  ): Promise<{ created: boolean; report: ReportView }> {
    const { mediaUrl, ...report } = body;
    return file(
      client,
      { ...report, mediaIds: [] },
      {
        source: 'open311',
        kinds: [...RESIDENT_CHANNEL.kinds, 'community'],
        note: mediaUrl ? `media_url: ${mediaUrl}` : null,
      },
    );
  }

  /** Files a report (or finds the one this idempotency key already filed) as it reaches us through `channel`. */
  async function file(
    actor: Actor,
    body: SubmitReportBody,
    channel: FilingChannel,
  ): Promise<{ created: boolean; report: ReportView }> {
    const existing = await models.Report.findOne({
      reporterId: actor.userId,
      idempotencyKey: body.idempotencyKey,
      ...inScope(actor.scope),
    }).lean<Report>();
    if (existing) return { created: false, report: (await views(actor, [existing]))[0]! };
    const node = await placeFor(actor, body.nodeId, channel.kinds);
    const communityId = communityOf(node);
    const category = await categories.get(communityId, body.category);
    const screening = await deps.moderation.screenText(actor, 3, { description: body.description }, communityId);
    const ancestors = ancestryOf(node).map((id) => new Types.ObjectId(id));
    const along = await models.Node.find(
      { _id: { $in: ancestors }, communityId, kind: { $in: ['estate', 'building'] } },
      { kind: 1 },
    ).lean<PlaceNode[]>();
    const building = along.find((n) => n.kind === 'building');
    const grid = building
      ? await models.Grid.findOne({ communityId, buildingIds: building._id }, { _id: 1 }).lean()
      : null;
    const now = deps.now();
    const _id = itemIdFor(actor.userId, body.idempotencyKey);
    const acceptBy = acceptDeadline(category, now);
    const photosOf = { kind: 'report', itemId: _id, communityId };
    let report: Report;
    try {
      report = await deps.media.attachFor(actor, body.mediaIds, photosOf, (mediaIds) =>
        deps.connection.transaction(async (session) => {
          const [created] = await models.Report.create(
            [
              {
                _id,
                communityId,
                nodeId: node._id,
                ancestors,
                estateId: along.find((n) => n.kind === 'estate')?._id ?? null,
                gridId: grid?._id ?? null,
                reporterId: actor.userId,
                source: channel.source,
                showName: body.showName ?? false,
                idempotencyKey: body.idempotencyKey,
                category: category.code,
                priority: category.priority,
                private: body.private ?? category.privateByDefault,
                description: body.description.trim(),
                mediaIds,
                location: body.location
                  ? { type: 'Point', coordinates: [body.location.longitude, body.location.latitude] }
                  : undefined,
                level: grid ? 'grid' : 'community',
                acceptBy,
                dueAt: acceptBy,
                firstAcceptBy: acceptBy,
                moderation: { state: screening.verdict === 'pass' ? 'visible' : 'review' },
                createdAt: now,
              },
            ],
            { session },
          );
          await deps.audit.record(
            {
              communityId,
              itemKind: 'report',
              itemId: _id,
              nodeId: node._id,
              action: 'submit',
              to: 'submitted',
              actorId: actor.userId,
              // The timeline names each step by the actor's part in the report (see shared/reports.ts).
              actorRole: 'reporter',
              note: channel.note,
            },
            session,
          );
          if (body.showName)
            await recordConsent(
              deps.connection,
              { userId: actor.userId, communityId, kind: 'report_name', itemId: _id, granted: true, at: now },
              session,
            );
          await scheduleDeadline(created!, 'accept', acceptBy, session);
          return created!.toObject<Report>();
        }),
      );
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // The same report sent twice at once (a retry racing the first try): answer with the one stored.
      const winner = await models.Report.findOne({ _id, communityId }).lean<Report>();
      return { created: false, report: (await views(actor, [winner!]))[0]! };
    }
    await deps.moderation.afterCreate('report', report, screening);
    await tell(
      await dispatchersOf(report, report.level as ResponseLevel),
      report,
      '新的随手拍待受理',
      `${category.name}：${place(report)}`,
    );
    return { created: true, report: (await views(actor, [report]))[0]! };
  }

  return { submit, submitExternal };
}
