import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Types } from 'mongoose';
import { Id } from '../../../shared/schemas/ids';
import { TimelineEntry } from '../../../shared/schemas/platform';
import { inScope } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import { errorResponses } from '../../http';
import type { ModeratedItem } from '../moderation/kinds';
import { moderatedKinds } from '../moderation/kinds';
import { timelineCsv } from './service';

const ItemParams = Type.Object({ kind: Type.String({ pattern: '^[a-z-]{2,20}$' }), id: Id });

/** An item's timeline, for whoever may see the item; a CSV export for staff. */
export const auditRoutes: FastifyPluginAsyncTypebox = async function auditRoutes(app) {
  const kinds = moderatedKinds(app.models);
  app.addHook('onRequest', app.authenticate);

  /** The item, when the caller may see it: visible, or theirs, or they moderate its community. */
  async function visibleItem(request: { actor: Parameters<typeof app.access.can>[0] }, kind: string, id: string) {
    const spec = kinds[kind];
    const item = spec
      ? ((await spec.model
          .findOne({ _id: new Types.ObjectId(id), ...inScope(request.actor.scope) })
          .lean()) as ModeratedItem | null)
      : null;
    if (!spec || !item) throw new NotFoundError('No such item');
    const node = await app.access.findNode(request.actor, item[spec.nodeField] as Types.ObjectId);
    const staff = app.access.can(request.actor, 'moderation.review', node);
    const mine = (item[spec.authorField] as Types.ObjectId).equals(request.actor.userId);
    if (!staff && !mine && item.moderation?.state !== 'visible') throw new NotFoundError('No such item');
    return { item, node };
  }

  app.get(
    '/timeline/:kind/:id',
    {
      schema: {
        tags: ['audit'],
        summary: "An item's state changes, oldest first",
        security: [{ bearer: [] }],
        params: ItemParams,
        response: { 200: Type.Array(TimelineEntry), ...errorResponses },
      },
    },
    async function timeline(request) {
      const { item } = await visibleItem(request, request.params.kind, request.params.id);
      return app.audit.timeline(item.communityId, request.params.kind, item._id);
    },
  );

  app.get(
    '/timeline/:kind/:id/export',
    {
      schema: {
        tags: ['audit'],
        summary: "An item's timeline as CSV (staff)",
        security: [{ bearer: [] }],
        params: ItemParams,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async function exportTimeline(request, reply) {
      const { item } = await visibleItem(request, request.params.kind, request.params.id);
      await app.access.authorize(request.actor, 'timeline.export', item.communityId);
      const csv = timelineCsv(await app.audit.timeline(item.communityId, request.params.kind, item._id));
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="timeline-${request.params.kind}-${request.params.id}.csv"`,
        )
        .send(csv);
    },
  );
};
