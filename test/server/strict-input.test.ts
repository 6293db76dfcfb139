import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { strictSchema } from '../../server/plugins/strict-schemas';
import { demoCommunity, otherCommunity } from '../../server/modules/demo/data';
import { buildDemoApp, placeId } from '../helpers/demo';
import { fileReport } from '../helpers/reports';
import { loginDemo, type LoggedIn } from '../helpers/session';

/** Issue 14, items 2 and 5: what a client sends beyond the schema, or in place of a value, is a 400. */
describe('client input the schemas do not declare', () => {
  let app: FastifyInstance;
  let staff: LoggedIn;
  let owner: LoggedIn;
  let community: string;
  let other: string;
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  beforeAll(async () => {
    app = await buildDemoApp();
    [staff, owner] = await Promise.all([loginDemo(app, 'staff'), loginDemo(app, 'owner')]);
    community = await placeId(app, [demoCommunity]);
    other = await placeId(app, [otherCommunity]);
  }, 30_000);
  afterAll(() => app.close());

  const categories = (communityId: string) =>
    app.models.ReportCategory.find({ communityId }).setOptions(CROSS_COMMUNITY).sort({ code: 1 }).lean();

  test('a category update naming another community, an _id, an operator or a deep object is refused; nothing moves', async () => {
    const url = `/api/communities/${community}/report-categories/safety`;
    expect((await app.inject({ url: '/api/report-categories', headers: staff.headers })).statusCode).toBe(200);
    const before = [await categories(community), await categories(other)];
    // As JSON text: 5000 levels are more than JSON.stringify (and so `payload: object`) can take.
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    for (const extra of [
      `"communityId":"${other}","code":"moved"`,
      '"_id":"000000000000000000000000"',
      '"$where":"sleep(1000)"',
      `"deep":${deep}`,
      '"order":99',
    ]) {
      const res = await app.inject({
        method: 'PATCH',
        url,
        headers: { ...staff.headers, 'content-type': 'application/json' },
        payload: `{"name":"安全隐患",${extra}}`,
      });
      expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect([await categories(community), await categories(other)]).toEqual(before);

    const named = await app.inject({
      method: 'PATCH',
      url,
      headers: staff.headers,
      payload: { acceptWithinMinutes: 90 },
    });
    expect(named.json()).toMatchObject({ code: 'safety', acceptWithinMinutes: 90 });
  });

  test('queries and nested objects refuse undeclared properties too', async () => {
    const query = await app.inject({ url: '/api/reports?view=mine&$where=1', headers: owner.headers });
    expect([query.statusCode, query.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    const nested = await app.inject({
      method: 'POST',
      url: `/api/reports/${'0'.repeat(24)}/assign`,
      headers: staff.headers,
      payload: { assignee: { kind: 'property', communityId: other } },
    });
    expect([nested.statusCode, nested.json().code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'flagging an item of kind %s is a 400',
    async (kind) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/flags',
        headers: owner.headers,
        payload: { kind, id: '0'.repeat(24), reason: '不实信息' },
      });
      expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    },
  );

  test('page cursors holding operators, wrong types or lengths are a 400; a real one still pages', async () => {
    // The owner's demo report and this one: two pages of one.
    expect((await fileReport(app, owner)).statusCode).toBe(201);
    const first = await app.inject({ url: '/api/reports?view=mine&limit=1', headers: owner.headers });
    const next = first.json<{ nextCursor: string }>().nextCursor;
    expect(next).toEqual(expect.any(String));
    expect(
      (await app.inject({ url: `/api/reports?view=mine&limit=1&cursor=${next}`, headers: owner.headers })).statusCode,
    ).toBe(200);

    const date = { $date: new Date().toISOString() };
    const id = '0'.repeat(24);
    for (const [url, who] of [
      ['/api/reports?view=mine&cursor=', owner],
      ['/api/moderation/cases?cursor=', staff],
      ['/api/inbox?cursor=', owner],
      [`/api/reports/overdue-ledger?communityId=${community}&cursor=`, staff],
    ] as const) {
      for (const values of [
        [{ $foo: 1 }, id],
        [{ $expr: { $eq: [1, 1] } }, id],
        [{ $regex: '.*' }, id],
        [date, { $ne: null }],
        [{ $date: { $gt: '' } }, id],
        [{ $date: 'not a date' }, id],
        [date, 'not an id'],
        [date],
        'text',
      ]) {
        const res = await app.inject({ url: `${url}${b64(values)}`, headers: who.headers });
        expect([url, res.statusCode, res.json().code]).toEqual([url, 400, 'BAD_REQUEST']);
      }
    }
    const channel = await placeId(app, [demoCommunity, '阳光花园', '1栋', '1单元']);
    const notices = await app.inject({
      url: `/api/channels/${channel}/notices?cursor=${b64([{ $ne: true }, date, id])}`,
      headers: owner.headers,
    });
    expect(notices.statusCode).toBe(400);
  });

  test('a query number the text makes infinite is out of range, not a database error', async () => {
    for (const value of ['Infinity', '-Infinity', '1e400']) {
      const res = await app.inject({
        url: `/api/reports/nearby?category=sanitation&longitude=${value}&latitude=39.9`,
        headers: owner.headers,
      });
      expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});

test('strictSchema closes every declared object in a copy: branches and items too, not records or open ones', () => {
  const Shared = Type.Object({ a: Type.String() });
  const open = Type.Object({ b: Type.String() }, { additionalProperties: true });
  const schema = Type.Object({
    one: Shared,
    many: Type.Array(Type.Union([Shared, open])),
    record: Type.Record(Type.String(), Type.String()),
  });
  const strict = strictSchema(schema) as typeof schema;
  expect(strict.additionalProperties).toBe(false);
  expect(strict.properties.one.additionalProperties).toBe(false);
  expect(strict.properties.many.items.anyOf.map((branch) => branch.additionalProperties)).toEqual([false, true]);
  expect(strict.properties.record.additionalProperties).toBeUndefined();
  // The shared schema itself (also used in responses) is left as it was.
  expect(Shared.additionalProperties).toBeUndefined();
});
