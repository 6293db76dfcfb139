import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { manualClock } from '../../server/clock';
import { buildDemoApp, placeId } from '../helpers/demo';
import { fileReport, move, photo } from '../helpers/reports';
import { loginDemo, type LoggedIn } from '../helpers/session';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): every answer is checked against the spec's
 * field lists and formats, and every XML answer is read back and compared with the JSON one (the spec's
 * Spark convention maps one onto the other).
 */
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const start = new Date(Math.floor(Date.now() / 1000) * 1000);
const clock = manualClock(start);
let app: FastifyInstance;
let owner: LoggedIn;
let grid: LoggedIn;
let staff: LoggedIn;
let property: LoggedIn;
let other: LoggedIn;
let a: string;
let b: string;
let unit: string;

// Building the demo app takes a few seconds, more on a busy machine.
beforeAll(async () => {
  app = await buildDemoApp({ clock });
  [owner, grid, staff, property, other] = await Promise.all([
    loginDemo(app, 'owner'),
    loginDemo(app, 'grid'),
    loginDemo(app, 'staff'),
    loginDemo(app, 'property'),
    loginDemo(app, 'other'),
  ]);
  a = await placeId(app, ['幸福里社区']);
  b = await placeId(app, ['和美社区']);
  unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
}, 30_000);
afterAll(() => app.close());
beforeEach(() => clock.set(start));

const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
/** A time as GeoReport writes it: the W3C format in China Standard Time. */
const w3c = (date: Date | number) =>
  `${new Date(new Date(date).getTime() + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;

/** GET under /open311/v2 in community A (unless the query names another jurisdiction). */
function get(path: string, query = '') {
  const jurisdiction = query.includes('jurisdiction_id') ? '' : `jurisdiction_id=${a}`;
  return app.inject(`/open311/v2/${path}?${[jurisdiction, query].filter(Boolean).join('&')}`);
}

/** The containers of a repeated element, as the spec's field tables have them. */
const CONTAINERS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  endpoints: 'endpoint',
  formats: 'format',
  jurisdictions: 'jurisdiction',
};
const xmlParser = new XMLParser({ parseTagValue: false, ignoreDeclaration: true });

function sparkOf(value: unknown, name: string): unknown {
  const item = CONTAINERS[name];
  if (item) return value === '' ? [] : [(value as Record<string, unknown>)[item]].flat().map((v) => sparkOf(v, item));
  if (value === '') return null;
  if (typeof value === 'object' && value)
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, sparkOf(v, key)]));
  return value;
}

/** An XML answer read back: well-formed, declared UTF-8, one root of that name, as JSON by the Spark convention. */
function readXml(res: LightMyRequestResponse, root: string): unknown {
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(XMLValidator.validate(res.body)).toBe(true);
  expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const doc = xmlParser.parse(res.body) as Record<string, unknown>;
  expect(Object.keys(doc)).toEqual([root]);
  return sparkOf(doc[root], root);
}

/** XML carries text only: the JSON document with its numbers and booleans as text. */
const asText = (json: unknown) =>
  JSON.parse(JSON.stringify(json), (_key, v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v));

/** Fetches a resource in both formats, checks they say the same, and returns the JSON. */
async function both(path: string, query: string, root: string) {
  const json = await get(`${path}.json`, query);
  expect(json.statusCode).toBe(200);
  expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
  const xml = await get(`${path}.xml`, query);
  expect(xml.statusCode).toBe(200);
  expect(readXml(xml, root)).toEqual(asText(json.json()));
  return json.json();
}

/** A service request as the spec lists its fields, in its order, and nothing else (no personal data). */
function expectServiceRequest(r: Record<string, unknown>) {
  expect(Object.keys(r)).toEqual(REQUEST_FIELDS);
  expect(r.service_request_id).toEqual(expect.stringMatching(/^[0-9a-f]{24}$/));
  expect(['open', 'closed']).toContain(r.status);
  for (const field of ['service_name', 'service_code', 'description', 'agency_responsible', 'address', 'address_id'])
    expect(typeof r[field]).toBe('string');
  expect(r.requested_datetime).toMatch(W3C_DATETIME);
  expect(r.updated_datetime).toMatch(W3C_DATETIME);
  if (r.expected_datetime !== null) expect(r.expected_datetime).toMatch(W3C_DATETIME);
  for (const field of ['lat', 'long']) expect(r[field] === null || typeof r[field] === 'number').toBe(true);
  if (r.media_url !== null) expect(r.media_url).toMatch(/^https?:\/\//);
  expect(r.zipcode).toBeNull();
}

/** The error answer the spec prescribes, in the format asked for, with the matching HTTP status. */
function expectError(res: LightMyRequestResponse, status: number, description: RegExp) {
  expect(res.statusCode).toBe(status);
  const errors = res.headers['content-type']?.toString().startsWith('text/xml') ? readXml(res, 'errors') : res.json();
  expect(errors).toEqual([{ code: expect.anything(), description: expect.stringMatching(description) }]);
  expect(Number((errors as { code: unknown }[])[0]!.code)).toBe(status);
}

const listed = async (query: string) =>
  ((await get('requests.json', query)).json() as { service_request_id: string }[]).map((r) => r.service_request_id);

describe('services and discovery', () => {
  test('the service list is the community categories, with group and keywords, the same in JSON and XML', async () => {
    const services = await both('services', '', 'services');
    expect(services.map((s: { service_code: string }) => s.service_code)).toEqual([
      'safety',
      'sanitation',
      'facility',
      'parking',
      'noise',
      'dispute',
      'other',
    ]);
    for (const service of services) expect(Object.keys(service)).toEqual(SERVICE_FIELDS);
    expect(services[0]).toEqual({
      service_code: 'safety',
      service_name: '安全隐患',
      description: '安全隐患：消防通道、飞线充电、燃气、电动车等',
      metadata: false,
      type: 'realtime',
      keywords: '消防通道, 飞线充电, 燃气, 电动车',
      group: '安全',
    });
  });

  test('a service definition has no attributes; an unknown service code is a 404 in the spec error format', async () => {
    expect(await both('services/noise', '', 'service_definition')).toEqual({ service_code: 'noise', attributes: [] });
    const xml = await get('services/noise.xml');
    expect(xml.body).toContain('<attributes></attributes>');
    expectError(await get('services/pothole.json'), 404, /service_code pothole was not found/);
    expectError(await get('services/pothole.xml'), 404, /service_code pothole was not found/);
  });

  test('with two communities the jurisdiction is required: missing is 400, unknown 404', async () => {
    expectError(await app.inject('/open311/v2/services.json'), 400, /jurisdiction_id was not provided/);
    expectError(await app.inject('/open311/v2/services.xml?jurisdiction_id='), 400, /jurisdiction_id/);
    expectError(await get('services.json', `jurisdiction_id=${unit}`), 404, /was not found/);
    expectError(await get('services.xml', 'jurisdiction_id=city.gov'), 404, /jurisdiction_id city.gov was not found/);
    expect((await get('services.json', `jurisdiction_id=${b}`)).statusCode).toBe(200);
  });

  test('Service Discovery lists the endpoint and both formats; unknown paths and formats answer as GeoReport errors', async () => {
    const json = await app.inject('/open311/discovery.json');
    expect(readXml(await app.inject('/open311/discovery.xml'), 'discovery')).toEqual(asText(json.json()));
    expect(json.json()).toMatchObject({
      changeset: expect.any(String),
      contact: expect.any(String),
      key_service: expect.any(String),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: 'http://localhost:3000/open311/v2',
          type: 'test',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
    // Every community is a jurisdiction; its id is what every other call names.
    expect(json.json().jurisdictions).toEqual([
      { jurisdiction_id: b, name: '和美社区' },
      { jurisdiction_id: a, name: '幸福里社区' },
    ]);
    expect(
      (await get('services.json', `jurisdiction_id=${json.json().jurisdictions[1].jurisdiction_id}`)).statusCode,
    ).toBe(200);
    expectError(await app.inject('/open311/v2/potholes.json'), 404, /No GeoReport v2 resource/);
    expectError(await app.inject('/open311/v2/potholes.xml'), 404, /No GeoReport v2 resource/);
    expectError(await get('services.html'), 400, /format/);
  });
});

describe('service requests: public and de-personalised', () => {
  test('a report with every field filled, in JSON and XML, without the reporter', async () => {
    // Filed at a unit, so the public location is the building’s (far from the filing positions other tests use),
    // rounded to about 100 m: never the position the reporter stood at, at home.
    const building = await placeId(app, ['幸福里社区', '阳光花园', '1栋']);
    await app.models.Node.updateOne(
      { _id: building, communityId: a },
      { $set: { location: { type: 'Point', coordinates: [116.42334, 39.92716] } } },
    );
    const filed = (
      await fileReport(app, owner, { category: 'facility', location: { longitude: 116.3975, latitude: 39.9088 } })
    ).json();
    const [request] = await both(`requests/${filed.id}`, '', 'service_requests');
    expectServiceRequest(request);
    expect(request).toEqual({
      service_request_id: filed.id,
      status: 'open',
      status_notes: null,
      service_name: '设施损坏',
      service_code: 'facility',
      description: filed.description,
      agency_responsible: '幸福里社区第一网格',
      service_notice: '由物业处理，8小时内受理，3天内办结',
      requested_datetime: w3c(start),
      updated_datetime: expect.stringMatching(W3C_DATETIME),
      expected_datetime: w3c(start.getTime() + 8 * HOUR),
      address: '幸福里社区阳光花园1栋1单元',
      address_id: unit,
      zipcode: null,
      lat: 39.927,
      long: 116.423,
      media_url: null,
    });
    const all = (await get('requests.json')).json();
    for (const r of all) expectServiceRequest(r);
    const everything = JSON.stringify(all) + (await get('requests.xml')).body;
    for (const secret of ['王阿姨', '王**', '13800000007', owner.me.id, 'reporter', 'phone', 'openid'])
      expect(everything).not.toContain(secret);
  });

  test('status follows the report: rejected and closed are closed with their notes; the agency is who handles it', async () => {
    const rejected = (await fileReport(app, owner)).json().id;
    clock.advance(HOUR);
    await move(app, grid, rejected, 'reject', { kind: 'invalid', note: '现场核实无此问题' });
    const fixed = (await fileReport(app, owner)).json().id;
    await move(app, grid, fixed, 'accept');
    const [accepted] = (await get(`requests/${fixed}.json`)).json();
    expect(accepted).toMatchObject({ status: 'open', expected_datetime: w3c(start.getTime() + HOUR + 72 * HOUR) });
    await move(app, grid, fixed, 'assign', { assignee: { kind: 'property' } });
    expect((await get(`requests/${fixed}.json`)).json()[0].agency_responsible).toBe('阳光花园物业');
    clock.advance(HOUR);
    await move(app, property, fixed, 'resolve', { note: '路灯已更换', mediaIds: [await photo(app, property)] });
    expect((await get(`requests/${fixed}.json`)).json()[0]).toMatchObject({
      status: 'open',
      status_notes: '路灯已更换',
      expected_datetime: null,
    });
    clock.advance(HOUR);
    await move(app, owner, fixed, 'confirm', { score: 5 });
    const answer = await both('requests', `service_request_id=${rejected},${fixed}`, 'service_requests');
    for (const r of answer) expectServiceRequest(r);
    expect(answer).toEqual([
      expect.objectContaining({
        service_request_id: fixed,
        status: 'closed',
        status_notes: '路灯已更换',
        updated_datetime: w3c(start.getTime() + 3 * HOUR),
        expected_datetime: null,
      }),
      expect.objectContaining({
        service_request_id: rejected,
        status: 'closed',
        status_notes: '现场核实无此问题',
        updated_datetime: w3c(start.getTime() + HOUR),
      }),
    ]);
  });

  test('an unanswered report escalated to the street is the street’s', async () => {
    const id = (await fileReport(app, owner, { category: 'safety', description: '楼道电动车飞线充电' })).json().id;
    for (const hours of [1, 2]) {
      clock.set(new Date(start.getTime() + hours * HOUR));
      await app.jobs.runDue();
    }
    expect((await get(`requests/${id}.json`)).json()[0].agency_responsible).toBe('和平街道');
  });

  test('media_url is the first photo, absolute and signed for everyone, only once WeChat passed it', async () => {
    const filed = (await fileReport(app, owner)).json();
    const mediaId = filed.media[0].id;
    expect((await get(`requests/${filed.id}.json`)).json()[0].media_url).toBeNull();
    const setCheck = (status: string) =>
      app.models.Media.updateOne({ _id: mediaId, communityId: a }, { $set: { 'check.status': status } });
    await setCheck('pass');
    const url = (await get(`requests/${filed.id}.json`)).json()[0].media_url as string;
    expect(url).toMatch(new RegExp(`^http://localhost:3000/api/media/${mediaId}/display\\?.*viewer=public`));
    const image = await app.inject(url.replace('http://localhost:3000', ''));
    expect([image.statusCode, image.headers['content-type']]).toEqual([200, 'image/jpeg']);
    await setCheck('review');
    expect((await get(`requests/${filed.id}.json`)).json()[0].media_url).toBeNull();
  });

  test('private reports, reports under review and other communities’ reports never appear', async () => {
    const shown = (await fileReport(app, owner)).json().id;
    const dispute = (await fileReport(app, owner, { category: 'dispute', description: '楼上漏水多次沟通无果' })).json()
      .id;
    const review = (await fileReport(app, owner, { description: '楼道里有测试待审词' })).json().id;
    const ofB = (await fileReport(app, other, { category: 'facility', description: '和美家园路灯坏了' })).json().id;
    const disputeOfB = (await fileReport(app, other, { category: 'dispute', description: '邻居装修噪音纠纷' })).json()
      .id;
    const ids = `service_request_id=${[shown, dispute, review, ofB, disputeOfB].join(',')}`;
    expect(await listed(ids)).toEqual([shown]);
    expect(await listed(`${ids}&jurisdiction_id=${b}`)).toEqual([ofB]);
    const all = [...(await listed('')), ...(await listed(`jurisdiction_id=${b}`))];
    expect(all).toEqual(expect.arrayContaining([shown, ofB]));
    for (const hidden of [dispute, review, disputeOfB]) {
      expect(all).not.toContain(hidden);
      expectError(await get(`requests/${hidden}.json`), 404, /was not found/);
    }
    expectError(await get(`requests/${ofB}.xml`), 404, /service_request_id .* was not found/);
    expect(JSON.stringify((await get('requests.json', `jurisdiction_id=${b}`)).json())).not.toContain('何居民');
  });
});

describe('GET requests filters', () => {
  let ids: { safety: string; noise: string; closed: string; old: string };

  beforeAll(async () => {
    clock.set(new Date(start.getTime() - 91 * DAY));
    const old = (await fileReport(app, owner, { category: 'parking', description: '三个月前的乱停车' })).json().id;
    clock.set(start);
    const safety = (await fileReport(app, owner, { category: 'safety', description: '消防通道堆放杂物' })).json().id;
    const noise = (await fileReport(app, owner, { category: 'noise', description: '深夜装修噪音' })).json().id;
    const closed = (await fileReport(app, owner, { category: 'noise', description: '广场舞音响太响' })).json().id;
    await move(app, grid, closed, 'reject', { kind: 'invalid', note: '已协调' });
    ids = { safety, noise, closed, old };
  });

  test('service_request_id takes a comma list and overrides every other argument', async () => {
    const answer = await listed(
      `service_request_id=${ids.noise},${ids.old},not-an-id&status=closed&service_code=safety`,
    );
    expect(answer).toEqual([ids.noise, ids.old]);
  });

  test('service_code and status, comma delimited or repeated', async () => {
    const noise = await listed('service_code=noise');
    expect(noise).toEqual(expect.arrayContaining([ids.noise, ids.closed]));
    expect(noise).not.toContain(ids.safety);
    const some = await listed('service_code=noise,safety&status=open');
    expect(some).toEqual(expect.arrayContaining([ids.noise, ids.safety]));
    expect(some).not.toContain(ids.closed);
    expect(await listed('service_code=noise&service_code=safety&status=closed')).toEqual([ids.closed]);
    expect(await listed('service_code=noise&status=open,closed')).toEqual(noise);
    expectError(await get('requests.json', 'status=pending'), 400, /status pending is not open or closed/);
  });

  test('the range defaults to the most recent 90 days and may not span more than 90', async () => {
    expect(await listed('')).not.toContain(ids.old);
    const around = (days: number) => encodeURIComponent(w3c(start.getTime() - days * DAY));
    const window = await listed(`start_date=${around(95)}&end_date=${around(60)}`);
    expect(window).toEqual([ids.old]);
    // Only a start: 90 days from it. Only an end: the 90 days before it.
    expect(await listed(`start_date=${around(95)}`)).toEqual([ids.old]);
    expect(await listed(`end_date=${around(60)}`)).toEqual([ids.old]);
    expect(await listed(`start_date=${around(1)}`)).toEqual(expect.arrayContaining([ids.safety, ids.noise]));
    expectError(
      await get('requests.xml', `start_date=${around(100)}&end_date=${around(0)}`),
      400,
      /may not span more than 90 days/,
    );
    expectError(await get('requests.json', `start_date=${around(1)}&end_date=${around(2)}`), 400, /before/);
  });

  test('dates are W3C datetimes with a time zone; an unencoded + is understood', async () => {
    const day = new Date(start.getTime() - DAY);
    expect(await listed(`start_date=${w3c(day)}`)).toEqual(expect.arrayContaining([ids.safety]));
    expect(await listed(`start_date=${day.toISOString().slice(0, 19)}Z`)).toEqual(expect.arrayContaining([ids.safety]));
    for (const bad of ['2026-01-01', '2026-01-01T00:00:00', '2026-02-30T00:00:00Z', 'yesterday'])
      expectError(await get('requests.json', `start_date=${bad}`), 400, /start_date must be a W3C datetime/);
  });
});

describe('POST requests with an API key', () => {
  let key: string;
  let keyId: string;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (fields: Record<string, string>, format = 'json', headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/open311/v2/requests.${format}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
      payload: form(fields),
    });
  const filing = (fields: Record<string, string> = {}) => ({
    api_key: key,
    jurisdiction_id: a,
    service_code: 'facility',
    address_string: '幸福里社区阳光花园1栋1单元门口',
    description: '单元门口路灯不亮',
    ...fields,
  });

  beforeAll(async () => {
    const issued = await app.inject({
      method: 'POST',
      url: '/api/open311/keys',
      headers: staff.headers,
      payload: { communityId: a, name: '12345市民热线' },
    });
    expect(issued.statusCode).toBe(201);
    ({ key, id: keyId } = issued.json());
  });

  test('a filing becomes a report the grid worker dispatches, with deadlines, and no personal data kept', async () => {
    const personal = {
      email: 'caller@example.com',
      phone: '13912345678',
      first_name: '建国',
      last_name: '张',
      account_id: 'acct-778',
      device_id: 'device-991',
    };
    const res = await post(filing({ ...personal, media_url: 'https://hotline.example.com/photos/1.jpg' }));
    expect([res.statusCode, res.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
    const [created] = res.json();
    expect(created).toEqual({
      service_request_id: expect.stringMatching(/^[0-9a-f]{24}$/),
      service_notice: '由物业处理，8小时内受理，3天内办结',
      account_id: null,
    });
    const id = created.service_request_id;
    const seen = await app.inject({ url: `/api/reports/${id}`, headers: grid.headers });
    expect(seen.json()).toMatchObject({
      state: 'submitted',
      level: 'grid',
      place: { id: unit },
      acceptBy: new Date(start.getTime() + 8 * HOUR).toISOString(),
      media: [],
      actions: ['accept', 'reject'],
    });
    const handling = (await app.inject({ url: '/api/reports?view=handling', headers: grid.headers })).json();
    expect(handling.items.map((r: { id: string }) => r.id)).toContain(id);

    const timeline = (await app.inject({ url: `/api/reports/${id}/timeline`, headers: staff.headers })).json();
    expect(timeline[0]).toMatchObject({
      action: 'submit',
      actorRole: 'reporter',
      note: 'media_url: https://hotline.example.com/photos/1.jpg',
    });
    const stored = JSON.stringify([
      await app.models.Report.findOne({ _id: id, communityId: a }).lean(),
      await app.models.Event.find({ communityId: a, itemId: id }).lean(),
      await app.models.User.findOne({ openid: `open311:${keyId}` }).lean(),
    ]);
    expect(stored).toContain('"source":"open311"');
    for (const value of Object.values(personal)) expect(stored).not.toContain(value);

    const [publicView] = (await get(`requests/${id}.json`)).json();
    expectServiceRequest(publicView);
    expect(publicView).toMatchObject({ status: 'open', address_id: unit, media_url: null });
    expect(await both(`tokens/${id}`, '', 'service_requests')).toEqual([{ service_request_id: id, token: id }]);
  });

  test("unlike Linli's own API, a filing takes fields it does not declare (attributes, other servers' extensions)", async () => {
    const extras = `&${form({ 'attribute[WHISPAWN]': '123', page: '2' })}&__proto__=x&constructor=y`;
    const res = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(filing({ description: '二单元门口积水' })) + extras,
    });
    expect(res.statusCode).toBe(200);
  });

  test('the XML answer has the spec elements', async () => {
    const res = await post(filing({ description: '楼道灯坏了' }), 'xml');
    expect(res.statusCode).toBe(200);
    const [created] = readXml(res, 'service_requests') as Record<string, unknown>[];
    expect(Object.keys(created!)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(created).toMatchObject({ service_request_id: expect.stringMatching(/^[0-9a-f]{24}$/), account_id: null });
  });

  test('the place: address_id, the names in address_string, the located estate nearest lat/long, else the community', async () => {
    const placeOf = async (fields: Record<string, string>) => {
      const res = await post(filing({ address_string: '', ...fields }));
      expect(res.statusCode).toBe(200);
      const id = res.json()[0].service_request_id;
      return (await app.inject({ url: `/api/reports/${id}`, headers: staff.headers })).json();
    };
    const building = await placeId(app, ['幸福里社区', '翠竹苑', '2栋']);
    expect((await placeOf({ address_id: building })).place.id).toBe(building);
    expect((await placeOf({ address_string: '翠竹苑 2栋 1单元 楼道' })).place.path).toEqual([
      '幸福里社区',
      '翠竹苑',
      '2栋',
      '1单元',
    ]);
    const byPosition = await placeOf({ lat: '39.9100', long: '116.3990' });
    expect(byPosition).toMatchObject({
      place: { id: a },
      level: 'community',
      location: { latitude: 39.91, longitude: 116.399 },
    });
    const estate = await placeId(app, ['幸福里社区', '阳光花园']);
    await app.models.Node.updateOne(
      { _id: estate, communityId: a },
      { $set: { location: { type: 'Point', coordinates: [116.3985, 39.9095] } } },
    );
    expect((await placeOf({ lat: '39.9100', long: '116.3990' })).place.id).toBe(estate);
    const [agency] = (await get(`requests/${byPosition.id}.json`)).json();
    expect(agency).toMatchObject({ agency_responsible: '幸福里社区', address: '幸福里社区', address_id: a });
    // Not a unit: the filed position itself, rounded to three decimals.
    expect(agency).toMatchObject({ lat: 39.91, long: 116.399 });
  });

  test('sending the same Idempotency-Key again files nothing new', async () => {
    const headers = { 'idempotency-key': 'hotline-call-20261123-0001' };
    const first = await post(filing(), 'json', headers);
    const again = await post(filing(), 'json', headers);
    expect(again.json()[0].service_request_id).toBe(first.json()[0].service_request_id);
  });

  test('errors exactly as the spec: 403 for the key, 404 for unknown codes, 400 for the rest', async () => {
    const unitOfB = await placeId(app, ['和美社区', '和美家园', '1栋', '1单元']);
    const keyOfB = (
      await app.inject({
        method: 'POST',
        url: '/api/open311/keys',
        headers: (await loginDemo(app, 'admin')).headers,
        payload: { communityId: b, name: '和美热线' },
      })
    ).json().key;
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ api_key: '' }, 403, /api_key was not provided/],
      [{ api_key: 'not-a-key' }, 403, /Invalid api_key/],
      [{ api_key: keyOfB }, 403, /Invalid api_key/],
      [{ jurisdiction_id: '' }, 400, /jurisdiction_id was not provided/],
      [{ jurisdiction_id: unitOfB }, 404, /jurisdiction_id .* was not found/],
      [{ service_code: '' }, 400, /service_code was not provided/],
      [{ service_code: 'pothole' }, 404, /service_code pothole was not found/],
      [{ address_string: '' }, 400, /A location is required/],
      [{ lat: '39.9' }, 400, /lat and long must both be sent/],
      [{ lat: '91', long: '116.4' }, 400, /WGS84/],
      [{ address_id: unitOfB }, 400, /is not a unit, building or estate of this jurisdiction/],
      [{ description: '' }, 400, /description was not provided/],
      [{ description: '出售违禁品' }, 400, /./],
      [{ media_url: 'javascript:alert(1)' }, 400, /media_url/],
    ];
    for (const [fields, status, description] of cases) {
      expectError(await post(filing(fields)), status, description);
      expectError(await post(filing(fields), 'xml'), status, description);
    }
  });

  test('staff list keys without secrets and revoke them; a revoked key is refused', async () => {
    const resident = await app.inject({
      method: 'POST',
      url: '/api/open311/keys',
      headers: owner.headers,
      payload: { communityId: a, name: '居民私钥' },
    });
    expect(resident.statusCode).toBe(403);
    const list = await app.inject({ url: `/api/open311/keys?communityId=${a}`, headers: staff.headers });
    expect(list.json()).toEqual([
      {
        id: keyId,
        name: '12345市民热线',
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        revokedAt: null,
      },
    ]);
    expect(list.body).not.toContain(key);
    const revoked = await app.inject({ method: 'DELETE', url: `/api/open311/keys/${keyId}`, headers: staff.headers });
    expect(revoked.statusCode).toBe(204);
    expectError(await post(filing()), 403, /Invalid api_key/);
    const after = await app.inject({ url: `/api/open311/keys?communityId=${a}`, headers: staff.headers });
    expect(after.json()[0].revokedAt).toEqual(expect.any(String));
  });

  test('a token is an Open311 filing’s id; any other id is not a token', async () => {
    const appReport = (await fileReport(app, owner)).json().id;
    expectError(await get(`tokens/${appReport}.json`), 404, /token .* was not found/);
    expectError(await get('tokens/abc.xml'), 404, /token abc was not found/);
  });
});
