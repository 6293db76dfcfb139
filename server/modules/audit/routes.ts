import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Types } from 'mongoose';
import { IdParams } from '../../../shared/schemas/ids';
import { TimelineEntry } from '../../../shared/schemas/platform';
import { errorResponses } from '../../http';
import type { Actor } from '../roles/access';
import { sendTimelineCsv } from './service';

/**
 * Adds `GET {base}/:id/timeline` (whoever may see the item) and `…/timeline/export` (CSV, staff) for one item
 * kind. The module passes how it finds an item the caller may see, so each kind keeps its own visibility.
 */
export function timelineRoutes(
  app: FastifyInstance,
  spec: {
    base: string;
    kind: string;
    tag: string;
    find: (actor: Actor, id: string) => Promise<{ _id: Types.ObjectId; communityId: Types.ObjectId }>;
  },
): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const schema = { tags: [spec.tag], security: [{ bearer: [] }], params: IdParams };

  typed.get(
    `${spec.base}/:id/timeline`,
    {
      schema: {
        ...schema,
        summary: `A ${spec.kind}'s state changes, oldest first`,
        response: { 200: Type.Array(TimelineEntry), ...errorResponses },
      },
    },
    async function timeline(request) {
      const item = await spec.find(request.actor, request.params.id);
      return app.audit.timeline(item.communityId, spec.kind, item._id);
    },
  );

  typed.get(
    `${spec.base}/:id/timeline/export`,
    {
      schema: {
        ...schema,
        summary: `A ${spec.kind}'s timeline as CSV (staff)`,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async function exportTimeline(request, reply) {
      const item = await spec.find(request.actor, request.params.id);
      await app.access.authorize(request.actor, 'timeline.export', item.communityId);
      return sendTimelineCsv(
        reply,
        spec.kind,
        request.params.id,
        await app.audit.timeline(item.communityId, spec.kind, item._id),
      );
    },
  );
}
