import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { distanceMeters, isOpen, OPEN_STATES, type HandlerKind, type ReportState } from '../../../shared/reports';
import type { CategoryView } from '../../../shared/schemas/reports';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { MediaService } from '../media/service';
import type { PlaceNode } from '../places/model';
import type { NodeRefs } from '../places/service';
import type { Categories } from '../reports/categories';
import type { Report } from '../reports/model';
import type { ReportService } from '../reports/service';
import type { Actor } from '../roles/access';
import { clientActor, type ApiClients } from './clients';
import { parseW3cDateTime, w3cDateTime } from './format';
import type {
  CreatedRequest,
  Discovery,
  PostRequestBody,
  RequestsQuery,
  Service,
  ServiceDefinition,
  ServiceRequest,
  TokenAnswer,
} from './schemas';

const DAY_MS = 24 * 3600_000;
/** GET requests: "the range may not span more than 90 days"; without one, "the most recent 90 days". */
const WINDOW_MS = 90 * DAY_MS;
/** "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest." */
const RESPONSE_LIMIT = 1000;
/** A position this close to a located estate or building is filed there; further away, on the community. */
const NEAREST_PLACE_METERS = 300;
/** Bumped when what this endpoint offers changes (Service Discovery's changeset). */
const CHANGESET = '2026-11-22 00:00';

/** What the public may see: reports that are not private and that moderation left visible. */
const PUBLIC = { private: false, 'moderation.state': 'visible' } as const;
const FILEABLE = ['estate', 'building', 'unit'] as const;
const CLOSED_STATES: ReportState[] = ['closed', 'rejected'];

const handlerLabel: Record<HandlerKind, string> = {
  grid_worker: '网格员',
  property: '物业',
  staff: '社区工作者',
  mediator: '调解员',
};

const isId = (value: string) => /^[0-9a-fA-F]{24}$/.test(value);

/** The spec's optional arguments: an empty value is treated as one not sent. */
function given<T extends object>(args: T): T {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => !(typeof v === 'string' && v.trim() === ''))) as T;
}

/** A comma delimited argument that may also be declared several times. */
function listOf(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : [value ?? ''])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Public coordinates are rounded to three decimals (about 100 m): enough to find the problem on a map, too coarse
 * to point at the doorway a resident stood in.
 */
export function publicPoint(coordinates: number[] | undefined): { lat: number | null; long: number | null } {
  if (coordinates?.length !== 2) return { lat: null, long: null };
  const round = (degrees: number) => Math.round(degrees * 1000) / 1000;
  return { lat: round(coordinates[1]!), long: round(coordinates[0]!) };
}

function duration(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)}天`;
  if (minutes % 60 === 0) return `${minutes / 60}小时`;
  return `${minutes}分钟`;
}

/** What a filer may expect (service_notice): who handles it and the category's deadlines. */
function noticeOf(category: CategoryView): string {
  return `由${handlerLabel[category.handler]}处理，${duration(category.acceptWithinMinutes)}内受理，${duration(category.resolveWithinMinutes)}内办结`;
}

/**
 * Open311 GeoReport v2 over the reports module. Reading is public and shows only public, de-personalised
 * reports; filing needs an API key staff issued to the external system. A jurisdiction is a community.
 */
export function createOpen311Service(deps: {
  models: Pick<Models, 'Node' | 'Report' | 'Grid'>;
  categories: Pick<Categories, 'list'>;
  reports: Pick<ReportService, 'submitExternal'>;
  clients: Pick<ApiClients, 'authenticate'>;
  media: Pick<MediaService, 'views'>;
  nodeRefs: NodeRefs;
  now: () => Date;
  /** Absolute URLs start here (media_url, the discovery's endpoint). */
  publicBaseUrl: string;
  /** The GeoReport endpoint as clients reach it, for Service Discovery. */
  endpointUrl: string;
  production: boolean;
}) {
  const { models, categories } = deps;

  /** The community a request names by jurisdiction_id; the only one when the service holds just one. */
  async function jurisdiction(id: string | undefined): Promise<PlaceNode> {
    if (id) {
      const node = isId(id)
        ? await models.Node.findOne({ _id: id, communityId: id, kind: 'community' }).lean<PlaceNode>()
        : null;
      if (!node) throw new NotFoundError(`jurisdiction_id ${id} was not found`);
      return node;
    }
    // Which communities the service holds is public (they are its jurisdictions); nothing in them is read.
    const communities = await models.Node.find({ kind: 'community' })
      .limit(2)
      .setOptions(CROSS_COMMUNITY)
      .lean<PlaceNode[]>();
    if (communities.length !== 1)
      throw new BadRequestError('jurisdiction_id was not provided: this service holds several communities');
    return communities[0]!;
  }

  async function categoryList(query: { jurisdiction_id?: string }) {
    const community = await jurisdiction(given(query).jurisdiction_id);
    return categories.list(community._id);
  }

  async function services(query: { jurisdiction_id?: string }): Promise<Service[]> {
    return (await categoryList(query)).map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: c.keywords.length > 0 ? `${c.name}：${c.keywords.join('、')}等` : c.name,
      metadata: false,
      type: 'realtime',
      keywords: c.keywords.length > 0 ? c.keywords.join(', ') : null,
      group: c.group,
    }));
  }

  /** Our services have no attributes (metadata=false); the definition says so rather than refusing. */
  async function definition(query: { jurisdiction_id?: string }, code: string): Promise<ServiceDefinition> {
    if (!(await categoryList(query)).some((c) => c.code === code))
      throw new NotFoundError(`service_code ${code} was not found`);
    return { service_code: code, attributes: [] };
  }

  /** A reader without a login: only photos of public reports that WeChat's check passed get a (public) link. */
  function publicViewer(community: PlaceNode): Actor {
    return {
      userId: new Types.ObjectId(),
      sessionId: 'open311',
      displayName: '',
      grants: [],
      effective: [],
      scope: { communityIds: [community._id] },
    };
  }

  async function streetOf(community: PlaceNode): Promise<PlaceNode | null> {
    // A street sits above its communities and holds none of their data: its name is what is read.
    return models.Node.findOne({ _id: community.parentId, kind: 'street' })
      .setOptions(CROSS_COMMUNITY)
      .lean<PlaceNode>();
  }

  /**
   * A report filed at a unit was taken at someone's home: the public sees the location of the unit's building
   * (or estate), never the phone's position there. Keyed by unit id; units without a located ancestor are absent.
   */
  async function unitLocations(community: PlaceNode, nodes: PlaceNode[]): Promise<Map<string, number[]>> {
    const units = nodes.filter((n) => n.kind === 'unit');
    if (units.length === 0) return new Map();
    const ancestors = await models.Node.find(
      {
        _id: { $in: units.flatMap((u) => u.ancestors) },
        communityId: community._id,
        'location.coordinates': { $exists: true },
      },
      { location: 1 },
    ).lean<PlaceNode[]>();
    const at = new Map(ancestors.map((a) => [String(a._id), a.location!.coordinates!]));
    const found = new Map<string, number[]>();
    for (const unit of units) {
      // Nearest first: the building before the estate.
      const own = [...unit.ancestors].reverse().find((a) => at.has(String(a)));
      found.set(String(unit._id), own ? at.get(String(own))! : []);
    }
    return found;
  }

  async function views(community: PlaceNode, reports: Report[]): Promise<ServiceRequest[]> {
    if (reports.length === 0) return [];
    const communityId = community._id;
    const [categoryViews, nodes, grids, street, photos] = await Promise.all([
      categories.list(communityId),
      models.Node.find({ _id: { $in: reports.map((r) => r.nodeId) }, communityId }).lean<PlaceNode[]>(),
      models.Grid.find({ _id: { $in: reports.flatMap((r) => r.gridId ?? []) }, communityId }, { name: 1 }).lean(),
      reports.some((r) => r.level === 'street') ? streetOf(community) : null,
      deps.media.views(
        publicViewer(community),
        reports.flatMap((r) => r.mediaIds.slice(0, 1)),
        { standing: 'public' },
      ),
    ]);
    const [refs, located] = await Promise.all([deps.nodeRefs(nodes), unitLocations(community, nodes)]);

    /** Who handles it now: the property company, the street it escalated to, its grid, else the community. */
    function agency(r: Report, path: string[]): string {
      if (r.assignee?.kind === 'property') return `${r.estateId ? (path[1] ?? '') : ''}物业`;
      if (r.level === 'street' && street) return street.name;
      const grid = r.level === 'grid' && r.gridId ? grids.find((g) => g._id.equals(r.gridId!)) : undefined;
      return grid ? `${community.name}${grid.name}` : community.name;
    }

    return reports.map((r) => {
      const category = categoryViews.find((c) => c.code === r.category);
      const place = refs.get(String(r.nodeId));
      const path = place?.path ?? [community.name];
      const state = r.state as ReportState;
      const photo = r.mediaIds[0] ? photos.find((m) => m.id === String(r.mediaIds[0])) : undefined;
      const updated = state === 'closed' ? r.closedAt : state === 'rejected' ? r.respondedAt : null;
      return {
        service_request_id: String(r._id),
        status: isOpen(state) ? 'open' : 'closed',
        status_notes: (state === 'rejected' ? r.rejection?.note : r.resolution?.note) ?? null,
        service_name: category?.name ?? r.category,
        service_code: r.category,
        description: r.description,
        agency_responsible: agency(r, path),
        service_notice: category ? noticeOf(category) : null,
        requested_datetime: w3cDateTime(r.createdAt),
        updated_datetime: w3cDateTime(updated ?? r.updatedAt),
        expected_datetime: r.dueAt ? w3cDateTime(r.dueAt) : null,
        address: path.join(''),
        address_id: String(r.nodeId),
        zipcode: null,
        ...publicPoint(located.get(String(r.nodeId)) ?? r.location?.coordinates),
        media_url: photo?.url ? `${deps.publicBaseUrl}${photo.url}` : null,
      };
    });
  }

  function dateArgument(value: string | undefined, name: string): Date | undefined {
    if (value === undefined) return undefined;
    const date = parseW3cDateTime(value);
    if (!date)
      throw new BadRequestError(`${name} must be a W3C datetime with a time zone, e.g. 2026-01-01T00:00:00+08:00`);
    return date;
  }

  /** The requested_datetime range: at most 90 days; what is not given is filled to make 90 days, ending now. */
  function window(startText: string | undefined, endText: string | undefined): { start: Date; end: Date } {
    const start = dateArgument(startText, 'start_date');
    const end = dateArgument(endText, 'end_date');
    if (start && end) {
      if (end < start) throw new BadRequestError('end_date is before start_date');
      if (end.getTime() - start.getTime() > WINDOW_MS)
        throw new BadRequestError('start_date and end_date may not span more than 90 days');
      return { start, end };
    }
    if (start) return { start, end: new Date(start.getTime() + WINDOW_MS) };
    const last = end ?? deps.now();
    return { start: new Date(last.getTime() - WINDOW_MS), end: last };
  }

  function statesOf(statuses: string[]): ReportState[] {
    return statuses.flatMap((status) => {
      if (status === 'open') return OPEN_STATES;
      if (status === 'closed') return CLOSED_STATES;
      throw new BadRequestError(`status ${status} is not open or closed`);
    });
  }

  async function requests(query: RequestsQuery): Promise<ServiceRequest[]> {
    const args = given(query);
    const community = await jurisdiction(args.jurisdiction_id);
    const ids = listOf(args.service_request_id);
    const filter: Record<string, unknown> = { communityId: community._id, ...PUBLIC };
    if (ids.length > 0) {
      // "This overrides all other arguments."
      filter._id = { $in: ids.filter(isId) };
    } else {
      const { start, end } = window(args.start_date, args.end_date);
      filter.createdAt = { $gte: start, $lte: end };
      const codes = listOf(args.service_code);
      if (codes.length > 0) filter.category = { $in: codes };
      const statuses = listOf(args.status);
      if (statuses.length > 0) filter.state = { $in: statesOf(statuses) };
    }
    const found = await models.Report.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(RESPONSE_LIMIT)
      .lean<Report[]>();
    return views(community, found);
  }

  async function request(query: { jurisdiction_id?: string }, id: string): Promise<ServiceRequest[]> {
    const community = await jurisdiction(given(query).jurisdiction_id);
    const found = isId(id)
      ? await models.Report.findOne({ _id: id, communityId: community._id, ...PUBLIC }).lean<Report>()
      : null;
    if (!found) throw new NotFoundError(`service_request_id ${id} was not found`);
    return views(community, [found]);
  }

  /** Tokens are what POST hands out; ours is the report's id itself, so only Open311 filings have one. */
  async function token(query: { jurisdiction_id?: string }, value: string): Promise<TokenAnswer[]> {
    const community = await jurisdiction(given(query).jurisdiction_id);
    const found = isId(value)
      ? await models.Report.exists({ _id: value, communityId: community._id, source: 'open311' })
      : null;
    if (!found) throw new NotFoundError(`token ${value} was not found`);
    return [{ service_request_id: value, token: value }];
  }

  function point(lat: string | undefined, long: string | undefined) {
    if (lat === undefined && long === undefined) return undefined;
    if (lat === undefined || long === undefined) throw new BadRequestError('lat and long must both be sent');
    const latitude = Number(lat);
    const longitude = Number(long);
    if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180))
      throw new BadRequestError('lat and long must be WGS84 degrees');
    return { latitude, longitude };
  }

  /**
   * Where a filing goes: the unit, building or estate `address_id` names; else the one whose names
   * `address_string` contains (the longest match, e.g. 阳光花园1栋1单元); else the located estate or
   * building nearest to lat/long within 300 m; else the community itself.
   */
  async function placeFor(
    community: PlaceNode,
    args: Pick<PostRequestBody, 'address_id' | 'address_string'>,
    location: { latitude: number; longitude: number } | undefined,
  ): Promise<PlaceNode> {
    if (args.address_id) {
      const node = isId(args.address_id)
        ? await models.Node.findOne({
            _id: args.address_id,
            communityId: community._id,
            kind: { $in: FILEABLE },
          }).lean<PlaceNode>()
        : null;
      if (!node)
        throw new BadRequestError(
          `address_id ${args.address_id} is not a unit, building or estate of this jurisdiction`,
        );
      return node;
    }
    const places = await models.Node.find(
      { communityId: community._id, kind: { $in: FILEABLE } },
      { name: 1, kind: 1, ancestors: 1, location: 1, communityId: 1 },
    ).lean<PlaceNode[]>();
    const names = new Map(places.map((p) => [String(p._id), p.name]));
    const text = args.address_string?.replace(/\s+/g, '') ?? '';
    let best: PlaceNode | undefined;
    let bestLength = 0;
    for (const p of places) {
      const path = [...p.ancestors.map((a) => names.get(String(a)) ?? ''), p.name].join('');
      if (path.length > bestLength && text.includes(path)) [best, bestLength] = [p, path.length];
    }
    if (best) return best;
    if (location) {
      const here: [number, number] = [location.longitude, location.latitude];
      let nearest = NEAREST_PLACE_METERS;
      for (const p of places) {
        const at = p.location?.coordinates;
        if (p.kind === 'unit' || at?.length !== 2) continue;
        const d = distanceMeters(at as [number, number], here);
        if (d <= nearest) [best, nearest] = [p, d];
      }
    }
    return best ?? community;
  }

  /**
   * POST requests. Checks in the spec's order of severity: the jurisdiction, the key (403), the service
   * (400 missing, 404 unknown), then the location and text (400). The caller's personal fields (email,
   * names, phone, device and account ids) are never read.
   */
  async function submit(body: PostRequestBody, idempotencyKey: string | undefined): Promise<CreatedRequest[]> {
    const args = given(body);
    const community = await jurisdiction(args.jurisdiction_id);
    if (!args.api_key) throw new ForbiddenError("api_key was not provided -- can't proceed with create_request");
    const client = await deps.clients.authenticate(community._id, args.api_key);
    if (!client) throw new ForbiddenError("Invalid api_key received -- can't proceed with create_request");
    if (!args.service_code) throw new BadRequestError('service_code was not provided');
    const category = (await categories.list(community._id)).find((c) => c.code === args.service_code);
    if (!category) throw new NotFoundError(`service_code ${args.service_code} was not found`);
    const location = point(args.lat, args.long);
    if (!location && !args.address_string && !args.address_id)
      throw new BadRequestError('A location is required: lat and long, address_string or address_id');
    if (!args.description) throw new BadRequestError('description was not provided');
    const node = await placeFor(community, args, location);
    const { report } = await deps.reports.submitExternal(clientActor(client), {
      nodeId: String(node._id),
      category: category.code,
      description: args.description,
      location,
      idempotencyKey: idempotencyKey ?? randomUUID(),
      mediaUrl: args.media_url,
    });
    return [{ service_request_id: report.id, service_notice: noticeOf(category), account_id: null }];
  }

  /** Every community is a jurisdiction; integrators read their `jurisdiction_id` here rather than asking staff. */
  async function discovery(): Promise<Discovery> {
    const communities = await models.Node.find({ kind: 'community' }, { name: 1 })
      .sort({ name: 1 })
      .setOptions(CROSS_COMMUNITY)
      .lean<PlaceNode[]>();
    return {
      changeset: CHANGESET,
      contact: '请联系所在社区的社区工作人员（居委会） / Contact the staff of the community concerned',
      key_service: '社区工作人员在邻里中为外部系统签发 API key / Community staff issue API keys in Linli',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: deps.endpointUrl,
          changeset: CHANGESET,
          type: deps.production ? 'production' : 'test',
          formats: ['text/xml', 'application/json'],
        },
      ],
      jurisdictions: communities.map((c) => ({ jurisdiction_id: String(c._id), name: c.name })),
    };
  }

  return { services, definition, requests, request, token, submit, discovery };
}
export type Open311Service = ReturnType<typeof createOpen311Service>;
