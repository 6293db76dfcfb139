import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorCode } from '../../../shared/errors';
import { maskName, maskPhone } from '../../../shared/masking';
import type { HouseholdRelation } from '../../../shared/places';
import { IdParams } from '../../../shared/schemas/ids';
import { CreateCategoryBody, Resident, StreetFigures, StreetFiguresQuery } from '../../../shared/schemas/manage';
import { CategoryView } from '../../../shared/schemas/reports';
import { inScope } from '../../data/tenant-scope';
import { BadRequestError, ConflictError } from '../../errors';
import { errorResponses } from '../../http';
import type { PlaceNode } from '../places/model';
import { createPlaceNames } from '../places/service';

const secured = { security: [{ bearer: [] }] };
/** Grant candidates are picked from a list: a building's or an estate's residents, not a whole city's. */
const RESIDENTS_SHOWN = 200;

/** What the 管理 console needs beyond the modules' own routes: new categories, grant candidates, street figures. */
export const manageRoutes: FastifyPluginAsyncTypebox = async function manageRoutes(app) {
  const nodeRefs = createPlaceNames(app.models);
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/communities/:id/report-categories',
    {
      schema: {
        tags: ['reports'],
        summary: 'Add a report category to a community (staff): handler, priority, deadlines, radius, privacy',
        ...secured,
        params: IdParams,
        body: CreateCategoryBody,
        response: { 201: CategoryView, ...errorResponses },
      },
    },
    async function createCategory(request, reply) {
      const community = await app.access.authorize(request.actor, 'report.categories', request.params.id);
      if (community.kind !== 'community') throw new BadRequestError('Categories belong to a community');
      const { categories } = app.reports;
      // Listing first writes the defaults, so a new code is checked against them too and sorts after them.
      const existing = await categories.list(community._id);
      const { code, icon = 'tag', group = '其他', keywords = [], ...fields } = request.body;
      if (existing.some((c) => c.code === code)) {
        throw new ConflictError(`Category ${code} exists`, ErrorCode.CATEGORY_EXISTS);
      }
      try {
        await app.models.ReportCategory.create({
          communityId: community._id,
          code,
          icon,
          group,
          keywords,
          ...fields,
          order: existing.length,
        });
      } catch (err) {
        // Two staff adding the same code at once: the unique index keeps one.
        if ((err as { code?: number }).code === 11000) {
          throw new ConflictError(`Category ${code} exists`, ErrorCode.CATEGORY_EXISTS);
        }
        throw err;
      }
      return reply.status(201).send(await categories.get(community._id, code));
    },
  );

  app.get(
    '/nodes/:id/residents',
    {
      schema: {
        tags: ['roles'],
        summary: 'Who lives under a place (staff granting roles there): masked names, the first 200',
        ...secured,
        params: IdParams,
        response: { 200: Type.Array(Resident), ...errorResponses },
      },
    },
    async function residents(request) {
      const node = await app.access.authorize(request.actor, 'role.grant', request.params.id);
      if (!node.communityId) throw new BadRequestError('Residents are listed within a community');
      const households = await app.models.Household.find({ communityId: node.communityId, ancestors: node._id })
        .sort({ unitId: 1, floor: 1, room: 1 })
        .limit(RESIDENTS_SHOWN)
        .lean();
      const members = households.flatMap((h) => h.members.map((m) => ({ household: h, member: m })));
      const [users, units] = await Promise.all([
        app.models.User.find(
          { _id: { $in: members.map((m) => m.member.userId) } },
          { displayName: 1, phone: 1 },
        ).lean(),
        app.models.Node.find({
          _id: { $in: households.map((h) => h.unitId) },
          communityId: node.communityId,
        }).lean<PlaceNode[]>(),
      ]);
      const refs = await nodeRefs(units);
      return members.slice(0, RESIDENTS_SHOWN).flatMap(({ household, member }) => {
        const user = users.find((u) => u._id.equals(member.userId));
        const unit = refs.get(String(household.unitId));
        if (!user || !unit) return [];
        return [
          {
            userId: String(user._id),
            displayName: maskName(user.displayName),
            phoneMasked: user.phone ? maskPhone(user.phone) : null,
            unit,
            room: household.room,
            relation: member.relation as HouseholdRelation,
          },
        ];
      });
    },
  );

  app.get(
    '/streets/:id/report-figures',
    {
      schema: {
        tags: ['reports'],
        summary: "A street's communities side by side: volume, the three rates and overdue reports (street staff)",
        ...secured,
        params: IdParams,
        querystring: StreetFiguresQuery,
        response: { 200: StreetFigures, ...errorResponses },
      },
    },
    async function streetFigures(request) {
      const street = await app.access.authorize(request.actor, 'report.figures', request.params.id);
      if (street.kind !== 'street') throw new BadRequestError('Communities are compared within a street');
      const from = new Date(request.query.from);
      const to = new Date(request.query.to);
      if (!(from < to)) throw new BadRequestError('`from` must be before `to`');
      const communities = await app.models.Node.find({
        kind: 'community',
        ancestors: street._id,
        ...inScope(request.actor.scope),
      })
        .sort({ name: 1 })
        .lean<PlaceNode[]>();
      const [refs, figures] = await Promise.all([
        nodeRefs(communities),
        Promise.all(communities.map((c) => app.reports.figures(c._id, undefined, from, to))),
      ]);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        communities: communities.map((c, i) => {
          const f = figures[i]!;
          return {
            community: refs.get(String(c._id))!,
            total: f.total,
            responseRate: f.responseRate.rate,
            onTimeResolutionRate: f.onTimeResolutionRate.rate,
            satisfaction: f.satisfaction.shareAtLeast4,
            overdue: f.overdue.length,
          };
        }),
      };
    },
  );
};
