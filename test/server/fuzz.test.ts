import type { FastifyInstance } from 'fastify';
import type { Model, Types } from 'mongoose';
import { ModeratedKindName } from '../../shared/schemas/platform';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { demoCommunity, otherCommunity } from '../../server/modules/demo/data';
import { moderatedKinds } from '../../server/modules/moderation/kinds';
import { seededRandom } from '../embedded-db/helpers';
import { testConfig } from '../helpers/app';
import { buildDemoApp, placeId } from '../helpers/demo';
import { fileReport } from '../helpers/reports';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';
import {
  hostileCursors,
  mutateBody,
  mutateQuery,
  pick,
  plausible,
  queryString,
  type Rng,
  type Schema,
  type Source,
} from './fuzz/values';

/**
 * Schema-driven fuzzing: every route of the service's own OpenAPI document gets hostile bodies, queries, page
 * cursors and path parameters, as a resident and as community staff. No answer may be a 5xx, every /api error
 * has our error shape, and what the caller may not write stays as it was. Seeded, so a finding replays;
 * FUZZ_LONG=<n> multiplies the samples (FUZZ_SEED picks another seed).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 14);
const LONG = Math.max(1, Number(process.env.FUZZ_LONG ?? 1));
/** Per route and persona (a resident, then staff): 2 × 20 hostile bodies, queries and cursors each. */
const SAMPLES = 20 * LONG;
const SHORT = 6 * LONG;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
interface Route {
  method: string;
  /** OpenAPI form: /api/reports/{id} */
  path: string;
  params: Parameter[];
  body?: { schema: Schema; form: boolean };
}
interface Finding {
  status: number;
  request: string;
  label: string;
  answer: string;
}

/** Path segments before `{id}` and the collection a real id comes from. */
const ID_KINDS: Record<string, string> = {
  reports: 'Report',
  notices: 'Notice',
  channels: 'Node',
  nodes: 'Node',
  communities: 'community',
  grids: 'Grid',
  inbox: 'Notification',
  'join-requests': 'JoinRequest',
  media: 'Media',
  cases: 'ModerationCase',
  users: 'User',
  'role-grants': 'RoleGrant',
  keys: 'Open311Client',
  requests: 'Report',
  tokens: 'Report',
  topics: 'Topic',
  'topic-comments': 'TopicComment',
};
/** Body and query fields holding ids, and the collection they name. */
const FIELD_KINDS: Record<string, string> = {
  communityId: 'community',
  jurisdiction_id: 'community',
  streetId: 'Node',
  gridId: 'Grid',
  nodeId: 'Node',
  address_id: 'Node',
  userId: 'User',
  mediaIds: 'Media',
  mediaId: 'Media',
  duplicateOf: 'Report',
  id: 'Report',
  householdId: 'Household',
  parentId: 'TopicComment',
};
const SCOPED = [
  'Node',
  'Household',
  'Grid',
  'RoleGrant',
  'Invite',
  'JoinRequest',
  'Notice',
  'Report',
  'ReportCategory',
  'Media',
  'ModerationCase',
  'Open311Client',
  'Topic',
  'TopicComment',
  'TopicVote',
] as const;
/** What a resident may not change in their own community. */
const STAFF_OWNED = ['Node', 'Household', 'Grid', 'RoleGrant', 'Invite', 'ReportCategory', 'Open311Client'] as const;

function routesOf(app: FastifyInstance): Route[] {
  const doc = app.swagger() as {
    paths: Record<
      string,
      Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
    >;
  };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/') || path.startsWith('/open311/'))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, op]) => {
        const content = op.requestBody?.content ?? {};
        const [type, media] = Object.entries(content)[0] ?? [];
        return {
          method: method.toUpperCase(),
          path,
          params: op.parameters ?? [],
          body: media ? { schema: media.schema, form: type === 'application/x-www-form-urlencoded' } : undefined,
        };
      }),
    );
}

/** Routes that can end the caller's session (logging out, refreshing, closing the account): sent as a throwaway. */
const endsSession = (route: Route) => route.path.startsWith('/api/auth/') || route.path === '/api/me/deletion';

describe('fuzzing every route from the OpenAPI document', () => {
  let app: FastifyInstance;
  let rng: Rng;
  /** Real ids by collection: the caller's community first, the other community's under `other:<kind>`. */
  const pools = new Map<string, string[]>();
  const codes: string[] = [];
  const inviteCodes: string[] = [];
  let community: string;
  let other: string;
  let filingKey: string;
  let staff: LoggedIn;
  let owner: LoggedIn;
  /** Whoever the auth routes (logout, refresh, logout everywhere) act as: someone new after each session ends. */
  let tenant: LoggedIn;
  let demoUserIds: Types.ObjectId[];
  const findings: Finding[] = [];
  const unshaped: Finding[] = [];
  let sent = 0;
  const statuses = new Map<number, number>();
  let covered = 0;

  const pool = (kind: string) => pools.get(kind) ?? [];
  function realId(kind: string): string {
    const roll = rng();
    const own = pool(kind);
    const theirs = pool(`other:${kind}`);
    if (roll < 0.12 && theirs.length > 0) return pick(rng, theirs);
    if (roll < 0.2) return pick(rng, pool('any'));
    return own.length > 0 ? pick(rng, own) : pick(rng, pool('any'));
  }
  const source: Source = {
    id(name) {
      if (name === 'otherCommunity') return pick(rng, [other, ...pool('other:any')]);
      if (name === 'anyOther') return pick(rng, pool('any'));
      return realId(FIELD_KINDS[name] ?? 'any');
    },
    text(name) {
      if (['category', 'code', 'service_code'].includes(name)) return pick(rng, codes);
      if (name === 'idempotencyKey') return `fuzz-${sent}-${Math.floor(rng() * 1e9)}`;
      if (name === 'key') return pick(rng, ['owner', 'staff', 'nobody']);
      if (name === 'room') return pick(rng, ['302', '101', '9999']);
      if (name === 'phone') return pick(rng, ['13800000009', '12345']);
      if (name === 'refreshToken') return tenant.refreshToken;
      if (name === 'api_key') return filingKey;
      return undefined;
    },
  };

  function pathValue(route: Route, param: Parameter, hostile: boolean): string {
    if (hostile)
      return pick(rng, [
        'zzzzzzzzzzzzzzzzzzzzzzzz',
        '000000000000000000000000',
        '123456789012',
        'constructor',
        '__proto__',
        'toString',
        'x'.repeat(3000),
        '%00',
        '%7B%22%24gt%22%3A%22%22%7D',
        '..%2F..',
        'json.xml',
        pick(rng, pool('other:any').concat(other)),
        pick(rng, pool('any')),
      ]);
    if (param.schema.enum || param.schema.anyOf) return String(plausible(param.schema, rng, source, param.name));
    if (param.name === 'code') return route.path.startsWith('/api/invites') ? pick(rng, inviteCodes) : pick(rng, codes);
    if (param.name === 'service_code') return pick(rng, codes);
    const segments = route.path.split('/');
    const before = segments[segments.findIndex((s) => s.startsWith(`{${param.name}}`)) - 1] ?? '';
    return realId(ID_KINDS[before] ?? 'any');
  }

  /** Plausible query parameters (the cursor aside: it has its own round). */
  function validQuery(route: Route): Record<string, string> {
    const query: Record<string, string> = {};
    for (const p of route.params.filter((x) => x.in === 'query' && x.name !== 'cursor'))
      if (p.required || rng() < 0.4) query[p.name] = String(plausible(p.schema, rng, source, p.name));
    return query;
  }

  function headersFor(route: Route, who: LoggedIn | null, hostile: boolean): Record<string, string> {
    const headers: Record<string, string> = who ? { ...who.headers } : {};
    if (hostile && rng() < 0.3)
      headers.authorization = pick(rng, [
        'Bearer x',
        `Bearer ${(who ?? staff).accessToken.slice(0, -2)}xx`,
        `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"sub":"${staff.me.id}"}`).toString('base64url')}.`,
        'Basic YWRtaW46YWRtaW4=',
        'Bearer',
      ]);
    if (route.params.some((p) => p.in === 'header' && p.name === 'idempotency-key'))
      headers['idempotency-key'] = hostile
        ? pick(rng, ['', 'x', 'a'.repeat(300), '$where', '../../x', 'constructor'])
        : `fuzz-${sent}-${Math.floor(rng() * 1e9)}`;
    return headers;
  }

  async function send(
    route: Route,
    caller: () => LoggedIn | null,
    target: 'body' | 'query' | 'cursor' | 'params',
    cursors: string[],
  ): Promise<void> {
    const params = Object.fromEntries(
      route.params
        .filter((p) => p.in === 'path')
        .map((p) => [p.name, pathValue(route, p, target === 'params' && rng() < 0.6)]),
    );
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
    const valid = validQuery(route);
    let query = queryString(valid);
    let label: string = target;
    if (target === 'query') ({ query, label } = mutateQuery(valid, rng, source));
    if (target === 'cursor') {
      const cursor = pick(rng, cursors);
      query = queryString({ ...valid, cursor });
      label = `cursor ${cursor.slice(0, 60)}`;
    }
    let payload: string | undefined;
    let contentType: string | undefined;
    if (route.body || route.method === 'POST') {
      const plain = route.body ? plausible(route.body.schema, rng, source) : {};
      if (route.body?.form) {
        contentType = 'application/x-www-form-urlencoded';
        const fields = Object.fromEntries(Object.entries(plain as object).map(([k, v]) => [k, String(v)]));
        payload = queryString(fields);
        if (target === 'body') {
          if (rng() < 0.7) ({ query: payload, label } = mutateQuery(fields, rng, source));
          else ({ payload, contentType = 'application/json', label } = mutateBody(plain, rng, source));
        }
      } else {
        contentType = 'application/json';
        payload = JSON.stringify(plain);
        if (target === 'body') ({ payload, contentType = 'application/json', label } = mutateBody(plain, rng, source));
        // Real photos are the media suites' subject: here uploads get JSON, or a multipart form that is not one.
        if (route.path === '/api/media')
          contentType = pick(rng, ['application/json', 'multipart/form-data', 'multipart/form-data; boundary=zzz']);
      }
    }
    const url = `${path}${query ? `?${query}` : ''}`;
    const who = caller();
    const res = await app.inject({
      method: route.method as 'GET',
      url,
      headers: {
        ...headersFor(route, who, target === 'params' && rng() < 0.3),
        ...(contentType ? { 'content-type': contentType } : {}),
      },
      ...(payload !== undefined ? { payload } : {}),
    });
    sent += 1;
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const finding = () => ({
      status: res.statusCode,
      request: `${route.method} ${url.slice(0, 300)} [${contentType ?? ''}] ${payload?.slice(0, 300) ?? ''}`,
      label,
      answer: res.body.slice(0, 300),
    });
    if (res.statusCode >= 500) findings.push(finding());
    else if (res.statusCode >= 400 && path.startsWith('/api/')) {
      const body = (() => {
        try {
          return res.json<{ statusCode?: unknown; code?: unknown }>();
        } catch {
          return {};
        }
      })();
      if (body.statusCode !== res.statusCode || typeof body.code !== 'string') unshaped.push(finding());
    }
    // Logging out, refreshing (the refresh token turns over) or a refused reuse ends the session the next
    // requests use: go on as someone new (one person logging in again and again meets WeChat's login quota).
    if (endsSession(route) && (res.statusCode < 300 || res.body.includes('REUSED'))) tenant = await newcomer(app);
  }

  /** A real cursor of a paged route, from a one-item first page, so decoding and the filter run as well. */
  async function realCursors(route: Route, who: LoggedIn): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const params = Object.fromEntries(
        route.params.filter((p) => p.in === 'path').map((p) => [p.name, pathValue(route, p, false)]),
      );
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
      const res = await app.inject({
        url: `${path}?${queryString({ ...validQuery(route), limit: '1' })}`,
        headers: who.headers,
      });
      const next = res.statusCode === 200 ? (res.json<{ nextCursor?: string | null }>().nextCursor ?? null) : null;
      if (next) found.push(next);
    }
    return found;
  }

  async function fuzz(route: Route, caller: () => LoggedIn | null): Promise<void> {
    const who = caller();
    const hasQuery = route.params.some((p) => p.in === 'query');
    const paged = route.params.some((p) => p.in === 'query' && p.name === 'cursor');
    const cursors = paged && who ? hostileCursors(source, await realCursors(route, who)) : [];
    // Full rounds for what the route declares; shorter ones for path parameters (mostly one id) and for hostile
    // bodies and queries sent to routes that declare none (they must ignore them, not fail).
    const rounds: ['body' | 'query' | 'cursor' | 'params', number][] = [
      ['body', route.body ? SAMPLES : route.method === 'POST' ? SHORT : 0],
      ['query', hasQuery ? SAMPLES : SHORT],
      ['cursor', paged ? SAMPLES : 0],
      ['params', route.params.some((p) => p.in === 'path') ? SHORT : 0],
    ];
    for (const [target, count] of rounds) for (let i = 0; i < count; i += 1) await send(route, caller, target, cursors);
  }

  async function snapshot(communityId: string, kinds: readonly string[]): Promise<string> {
    const parts: unknown[] = [];
    for (const kind of kinds) {
      const model = (app.models as unknown as Record<string, Model<unknown>>)[kind]!;
      parts.push(await model.find({ communityId }).setOptions(CROSS_COMMUNITY).sort({ _id: 1 }).lean());
    }
    return JSON.stringify(parts);
  }
  /** The demo users but the resident the run acts as (whose own profile and session it may change). */
  const others = async () =>
    JSON.stringify(
      await app.models.User.find({ _id: { $in: demoUserIds }, openid: { $ne: 'demo-owner' } })
        .sort({ _id: 1 })
        .lean(),
    );

  beforeAll(async () => {
    rng = seededRandom(SEED);
    // Thousands of requests from three users in a minute: the rate limits are another suite's subject.
    app = await buildDemoApp({ config: testConfig({ rateLimitPerMinute: 1_000_000 }) });
    await app.ready();
    community = await placeId(app, [demoCommunity]);
    other = await placeId(app, [otherCommunity]);
    [staff, owner, tenant] = await Promise.all([loginDemo(app, 'staff'), loginDemo(app, 'owner'), newcomer(app)]);
    demoUserIds = (await app.models.User.find({ openid: /^demo-/ }, { _id: 1 }).lean()).map((u) => u._id);
    const [captain, otherResident, joiner] = await Promise.all([
      loginDemo(app, 'captain'),
      loginDemo(app, 'other'),
      newcomer(app),
    ]);

    // Data of every kind in both communities, so real ids of each reach the handlers.
    expect((await fileReport(app, otherResident)).statusCode).toBe(201);
    expect((await fileReport(app, owner)).statusCode).toBe(201);
    for (const who of [owner, otherResident])
      expect((await app.inject({ url: '/api/report-categories', headers: who.headers })).statusCode).toBe(200);
    const keys = await Promise.all(
      ['12345热线', '网格平台'].map((name) =>
        app.inject({
          method: 'POST',
          url: '/api/open311/keys',
          headers: staff.headers,
          payload: { communityId: community, name },
        }),
      ),
    );
    filingKey = keys[0]!.json<{ key: string }>().key;
    const unit = await placeId(app, [demoCommunity, '阳光花园', '1栋', '1单元']);
    const invite = await app.inject({
      method: 'POST',
      url: `/api/nodes/${unit}/invites`,
      headers: captain.headers,
      payload: {},
    });
    expect(invite.statusCode).toBe(201);
    inviteCodes.push(invite.json<{ code: string }>().code, 'ZZZZZZZZ');
    await app.inject({
      method: 'POST',
      url: '/api/join-requests',
      headers: joiner.headers,
      payload: { code: inviteCodes[0], room: '102', relation: 'tenant' },
    });
    const reports = await app.models.Report.find({}).setOptions(CROSS_COMMUNITY).lean();
    for (const report of reports.slice(0, 2))
      await app.inject({
        method: 'POST',
        url: '/api/flags',
        headers: (report.communityId.equals(other) ? otherResident : owner).headers,
        payload: { kind: 'report', id: String(report._id), reason: '内容不实' },
      });

    const mine = new Set([staff, owner].map((who) => who.me.id));
    for (const kind of [...SCOPED, 'Notification', 'User']) {
      const model = (app.models as unknown as Record<string, Model<{ communityId?: unknown; userId?: unknown }>>)[
        kind
      ]!;
      const docs = await model.find({}).setOptions(CROSS_COMMUNITY).lean();
      for (const doc of docs) {
        // The callers' own role grants stay: taking them away would end the run's coverage, not find a bug.
        if (kind === 'RoleGrant' && mine.has(String(doc.userId))) continue;
        if (kind === 'Open311Client' && keys[0]!.json<{ id: string }>().id === String(doc._id)) continue;
        const where = doc.communityId && String(doc.communityId) === other ? `other:${kind}` : kind;
        for (const name of [where, where.startsWith('other:') ? 'other:any' : 'any'])
          pools.set(name, [...pool(name), String(doc._id)]);
      }
    }
    const nodes = await app.models.Node.find({ kind: 'community' }).setOptions(CROSS_COMMUNITY).lean();
    pools.set('community', [community]);
    pools.set(
      'other:community',
      nodes.map((n) => String(n._id)).filter((id) => id !== community),
    );
    codes.push(...(await app.models.ReportCategory.distinct('code', { communityId: community })), 'constructor');
  }, 120_000);

  afterAll(async () => {
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
    console.log(
      `fuzz: ${covered} routes covered, ${sent} requests sent, ${findings.length} answers >= 500, ` +
        `${unshaped.length} /api errors without our error shape (seed ${SEED}, ${SAMPLES} samples per part and persona)\n` +
        `answers: ${byStatus.join(' ')}`,
    );
    await app?.close();
  });

  test('the flag schema names exactly the kinds moderation knows', () => {
    expect(ModeratedKindName.anyOf.map((k) => k.const).sort()).toEqual(Object.keys(moderatedKinds(app.models)).sort());
  });

  test('as a resident: no 5xx, and nothing of the other community or of staff changes', async () => {
    const before = [await snapshot(other, SCOPED), await snapshot(community, STAFF_OWNED), await others()];
    const routes = routesOf(app);
    for (const route of routes) {
      await fuzz(route, () => (endsSession(route) ? tenant : route.path.startsWith('/open311/') ? null : owner));
    }
    covered = routes.length;
    expect(findings).toEqual([]);
    expect(unshaped).toEqual([]);
    const after = [await snapshot(other, SCOPED), await snapshot(community, STAFF_OWNED), await others()];
    expect(after).toEqual(before);
  }, 600_000);

  test('as community staff: no 5xx, and nothing of the other community changes', async () => {
    const before = await snapshot(other, SCOPED);
    for (const route of routesOf(app)) {
      await fuzz(route, () => (endsSession(route) ? tenant : route.path.startsWith('/open311/') ? null : staff));
    }
    expect(findings).toEqual([]);
    expect(unshaped).toEqual([]);
    expect(await snapshot(other, SCOPED)).toEqual(before);
  }, 600_000);
});
