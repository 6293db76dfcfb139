import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Types } from 'mongoose';
import { maskName } from '../../../shared/masking';
import { nodeKindOrder, type NodeKind, type HouseholdRelation } from '../../../shared/places';
import { IdParams } from '../../../shared/schemas/ids';
import { ImportPreview } from '../../../shared/schemas/manage';
import { GridView, HouseholdSummary, ImportBody, ImportResult, NodeView } from '../../../shared/schemas/places';
import { inScope } from '../../data/tenant-scope';
import { BadRequestError } from '../../errors';
import { errorResponses } from '../../http';
import { parseStructureCsv, validateStructure } from './import';
import { createStructureImporter, ImportInvalidError } from './importer';
import type { Actor } from '../roles/access';
import type { PlaceNode } from './model';
import { createPlaceNames, createPlaceViews } from './service';

const secured = { security: [{ bearer: [] }] };
/** A preview shows the first rows as they would be imported; the counts cover them all. */
const PREVIEW_ROWS = 200;

/** Browsing the matrix, creating nodes, importing a community's structure, grids, households of a unit. */
export const placesRoutes: FastifyPluginAsyncTypebox = async function placesRoutes(app) {
  const nodeRefs = createPlaceNames(app.models);
  const views = createPlaceViews(app.models, nodeRefs);
  const importStructure = createStructureImporter(app.db.connection, app.models, app.actors);
  app.addHook('onRequest', app.authenticate);

  // Structure imports come as CSV files too; they may be larger than ordinary JSON bodies.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  /** The community a structure is imported into, when the caller manages its structure. */
  async function importTarget(actor: Actor, id: string) {
    const community = await app.access.authorize(actor, 'structure.manage', id);
    if (community.kind !== 'community') throw new BadRequestError('Structures are imported into a community');
    return community;
  }

  /** An import body (CSV text or JSON rows) read and checked row by row; nothing is written. */
  function checkImport(body: ImportBody | string) {
    const fromCsv = typeof body === 'string';
    const parsed = fromCsv ? parseStructureCsv(body) : { rows: body.rows, problems: [] };
    if (parsed.problems.length > 0) return { rowCount: parsed.rows.length, households: [], problems: parsed.problems };
    if (parsed.rows.length === 0) {
      return {
        rowCount: 0,
        households: [],
        problems: [{ path: fromCsv ? 'line 2' : 'rows', message: '没有可导入的数据行' }],
      };
    }
    return { rowCount: parsed.rows.length, ...validateStructure(parsed.rows, fromCsv ? 'csv' : 'json') };
  }

  app.get(
    '/nodes/:id',
    {
      schema: {
        tags: ['places'],
        summary: 'A place',
        ...secured,
        params: IdParams,
        response: { 200: NodeView, ...errorResponses },
      },
    },
    async function getNode(request) {
      const node = await app.access.findNode(request.actor, request.params.id);
      return (await views([node], request.actor.scope))[0]!;
    },
  );

  app.get(
    '/nodes/:id/children',
    {
      schema: {
        tags: ['places'],
        summary: 'The places directly under a place',
        ...secured,
        params: IdParams,
        response: { 200: Type.Array(NodeView), ...errorResponses },
      },
    },
    async function getChildren(request) {
      const node = await app.access.findNode(request.actor, request.params.id);
      const children = await app.models.Node.find({ parentId: node._id, ...inScope(request.actor.scope) })
        .sort({ name: 1 })
        .lean<PlaceNode[]>();
      return views(children, request.actor.scope);
    },
  );

  app.post(
    '/nodes/:id/children',
    {
      schema: {
        tags: ['places'],
        summary: 'Create a place under a place (staff)',
        ...secured,
        params: IdParams,
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 40, pattern: '^[^/]+$' }) }),
        response: { 201: NodeView, ...errorResponses },
      },
    },
    async function createChild(request, reply) {
      const parent = await app.access.authorize(request.actor, 'structure.manage', request.params.id);
      const kind = nodeKindOrder[nodeKindOrder.indexOf(parent.kind as NodeKind) + 1];
      if (!kind) throw new BadRequestError('A unit has no places under it');
      const _id = new Types.ObjectId();
      // A community is its own tenant: its communityId is itself.
      const communityId = kind === 'community' ? _id : parent.communityId!;
      const node = await app.models.Node.create({
        _id,
        kind,
        name: request.body.name.trim(),
        parentId: parent._id,
        ancestors: [...parent.ancestors, parent._id],
        communityId,
      });
      if (kind === 'community') await app.actors.communityAdded(node.ancestors);
      return reply.status(201).send((await views([node.toObject<PlaceNode>()], { communityIds: [communityId] }))[0]!);
    },
  );

  app.post(
    '/nodes/:id/import',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['places'],
        summary: "Import a community's estates, buildings, units and households (JSON, or CSV with a header row)",
        description:
          'CSV columns: estate,building,unit,room,floor,area (or 小区,楼栋,单元,房号,楼层,面积). Every row is checked; ' +
          'with any bad row the answer is 422 IMPORT_INVALID listing each (line, reason) and nothing is imported.',
        ...secured,
        params: IdParams,
        body: Type.Union([ImportBody, Type.String()]),
        response: { 200: ImportResult, ...errorResponses },
      },
    },
    async function importCommunity(request) {
      const community = await importTarget(request.actor, request.params.id);
      const { households, problems } = checkImport(request.body);
      if (problems.length > 0) throw new ImportInvalidError(problems);
      const grids = typeof request.body === 'string' ? [] : request.body.grids;
      const result = await importStructure(community, households, grids);
      if (grids?.length) await app.actors.gridsChangedIn(community._id);
      return result;
    },
  );

  app.post(
    '/nodes/:id/import/preview',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['places'],
        summary: 'Check a structure import without writing anything: the rows read, each bad row and why',
        description: 'The same body and checks as POST /nodes/:id/import; answers 200 with the problems listed.',
        ...secured,
        params: IdParams,
        body: Type.Union([ImportBody, Type.String()]),
        response: { 200: ImportPreview, ...errorResponses },
      },
    },
    async function previewImport(request) {
      await importTarget(request.actor, request.params.id);
      const { rowCount, households, problems } = checkImport(request.body);
      const distinct = (key: (h: (typeof households)[number]) => string) => new Set(households.map(key)).size;
      return {
        rowCount,
        rows: households
          .slice(0, PREVIEW_ROWS)
          .map(({ line, estate, building, unit, room, floor, areaHundredths }) => ({
            line,
            estate,
            building,
            unit,
            room,
            floor,
            areaHundredths,
          })),
        validCount: households.length,
        problems,
        places: {
          estates: distinct((h) => h.estate),
          buildings: distinct((h) => `${h.estate}/${h.building}`),
          units: distinct((h) => `${h.estate}/${h.building}/${h.unit}`),
        },
      };
    },
  );

  app.get(
    '/nodes/:id/households',
    {
      schema: {
        tags: ['places'],
        summary:
          "A unit's rooms (any member of its community); their (masked) members for captains, grid workers, staff",
        description:
          "Any member of the unit's community gets its rooms, to name a neighbour's household (a 红榜 nomination); " +
          "only callers holding household.view on the unit (captains, grid workers, staff) get each room's members, " +
          "with names masked for every caller; everyone else gets `members: []`. A member's userId comes only to " +
          "callers who may also order on a neighbour's behalf on the unit (order.on_behalf), to pick whom an order is " +
          "for. Outside the caller's communities the unit is a 404.",
        ...secured,
        params: IdParams,
        response: { 200: Type.Array(HouseholdSummary), ...errorResponses },
      },
    },
    async function unitHouseholds(request) {
      const unit = await app.access.findNode(request.actor, request.params.id);
      if (unit.kind !== 'unit') throw new BadRequestError('Households are listed per unit');
      // Rooms to every member of the community; who lives there only to those who look after the unit.
      const withMembers = app.access.can(request.actor, 'household.view', unit);
      const households = await app.models.Household.find({ communityId: unit.communityId, unitId: unit._id })
        .select(withMembers ? {} : { members: 0 })
        .sort({ floor: 1, room: 1 })
        .lean();
      const users = withMembers
        ? await app.models.User.find(
            { _id: { $in: households.flatMap((h) => h.members.map((m) => m.userId)) } },
            { displayName: 1 },
          ).lean()
        : [];
      const name = new Map(users.map((u) => [String(u._id), u.displayName]));
      // Names stay masked for everyone; the member's id (whom to order for) only to those who may order for them.
      const withIds = app.access.can(request.actor, 'order.on_behalf', unit);
      return households.map((h) => ({
        id: String(h._id),
        room: h.room,
        floor: h.floor,
        areaHundredths: h.areaHundredths,
        members: withMembers
          ? h.members.map((m) => ({
              name: maskName(name.get(String(m.userId)) ?? ''),
              relation: m.relation as HouseholdRelation,
              ...(withIds ? { userId: String(m.userId) } : {}),
            }))
          : [],
      }));
    },
  );

  app.get(
    '/nodes/:id/grids',
    {
      schema: {
        tags: ['places'],
        summary: "A community's grids",
        ...secured,
        params: IdParams,
        response: { 200: Type.Array(GridView), ...errorResponses },
      },
    },
    async function listGrids(request) {
      const community = await app.access.authorize(request.actor, 'household.view', request.params.id);
      const grids = await app.models.Grid.find({ communityId: community._id }).sort({ name: 1 }).lean();
      const [buildings, workers] = await Promise.all([
        app.models.Node.find({ _id: { $in: grids.flatMap((g) => g.buildingIds) }, communityId: community._id }).lean<
          PlaceNode[]
        >(),
        app.models.RoleGrant.find({ gridId: { $in: grids.map((g) => g._id) } }).lean(),
      ]);
      const refs = await nodeRefs(buildings);
      const users = await app.models.User.find(
        { _id: { $in: workers.map((w) => w.userId) } },
        { displayName: 1 },
      ).lean();
      return grids.map((grid) => ({
        id: String(grid._id),
        name: grid.name,
        buildings: grid.buildingIds.flatMap((id) => refs.get(String(id)) ?? []),
        workers: workers
          .filter((w) => w.gridId?.equals(grid._id))
          .map((w) => ({
            grantId: String(w._id),
            userId: String(w.userId),
            displayName: maskName(users.find((u) => u._id.equals(w.userId))?.displayName ?? ''),
          })),
      }));
    },
  );
};
