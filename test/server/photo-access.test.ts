import { crc32, deflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { buildDemoApp } from '../helpers/demo';
import { cameraJpeg, multipart } from '../helpers/images';
import { fileReport, photo } from '../helpers/reports';
import { loginDemo, type LoggedIn } from '../helpers/session';

/**
 * Photos are served only to those who may see the item they belong to, decided when the image is fetched;
 * a photo belongs to one item; and no upload, however broken, gets a 5xx.
 */
let app: FastifyInstance;
let owner: LoggedIn;
let tenant: LoggedIn;
let staff: LoggedIn;
let keys = 0;

beforeAll(async () => {
  app = await buildDemoApp();
  [owner, tenant, staff] = await Promise.all([
    loginDemo(app, 'owner'),
    loginDemo(app, 'tenant'),
    loginDemo(app, 'staff'),
  ]);
});
afterAll(() => app.close());

const passCheck = (id: string) =>
  app.models.Media.updateOne({ _id: id }, { $set: { 'check.status': 'pass' } }).setOptions(CROSS_COMMUNITY);
const setReport = (id: string, set: Record<string, unknown>) =>
  app.models.Report.updateOne({ _id: id }, { $set: set }).setOptions(CROSS_COMMUNITY);
const mediaAs = (who: LoggedIn, id: string) => app.inject({ url: `/api/media/${id}`, headers: who.headers });
const reportAs = (who: LoggedIn, id: string) => app.inject({ url: `/api/reports/${id}`, headers: who.headers });
/** What anyone holding the URL gets, with no login (as <image src> in the mini-program). */
const fetchImage = (url: string) => app.inject({ url });

/** A report with a photo WeChat passed, and the link the tenant (a neighbour in the estate) was given. */
async function publicReportSeenByTenant() {
  const report = (await fileReport(app, owner, { category: 'sanitation' })).json();
  const mediaId = report.media[0].id as string;
  await passCheck(mediaId);
  const seen = (await reportAs(tenant, report.id)).json();
  expect(seen.media[0].url).toEqual(expect.any(String));
  return { report, mediaId, tenantUrl: seen.media[0].url as string };
}

describe('photos follow their item', () => {
  test('a private report’s photo is 404 to a neighbour, by id and by any link', async () => {
    const report = (await fileReport(app, owner, { category: 'dispute' })).json();
    expect(report.private).toBe(true);
    const mediaId = report.media[0].id;
    await passCheck(mediaId);
    expect((await reportAs(tenant, report.id)).statusCode).toBe(404);
    expect((await mediaAs(tenant, mediaId)).statusCode).toBe(404);
    // The reporter's own link is theirs: it serves them, and it is not a key for anybody else.
    const ownerView = (await mediaAs(owner, mediaId)).json();
    expect((await fetchImage(ownerView.url)).statusCode).toBe(200);
    expect(ownerView.url).toContain(`viewer=${owner.me.id}`);
    const forTenant = ownerView.url.replace(`viewer=${owner.me.id}`, `viewer=${tenant.me.id}`);
    expect((await fetchImage(forTenant)).statusCode).toBe(403);
    // Staff handle it and see it.
    expect((await fetchImage((await mediaAs(staff, mediaId)).json().url)).statusCode).toBe(200);
  });

  test('a link issued before moderation hid the report stops working at once; staff keep theirs', async () => {
    const { report, mediaId, tenantUrl } = await publicReportSeenByTenant();
    const staffUrl = (await mediaAs(staff, mediaId)).json().url;
    expect((await fetchImage(tenantUrl)).statusCode).toBe(200);
    await setReport(report.id, { 'moderation.state': 'hidden' });
    expect((await fetchImage(tenantUrl)).statusCode).toBe(404);
    expect((await mediaAs(tenant, mediaId)).statusCode).toBe(404);
    expect((await fetchImage(staffUrl)).statusCode).toBe(200);
  });

  test('a link stops working when its report is made private or deleted', async () => {
    const made = await publicReportSeenByTenant();
    await setReport(made.report.id, { private: true });
    expect((await fetchImage(made.tenantUrl)).statusCode).toBe(404);

    const gone = await publicReportSeenByTenant();
    await app.models.Report.deleteOne({ _id: gone.report.id }).setOptions(CROSS_COMMUNITY);
    expect((await fetchImage(gone.tenantUrl)).statusCode).toBe(404);
    expect((await mediaAs(owner, gone.mediaId)).statusCode).toBe(404);
  });

  test('links are short-lived: valid for one to two hours, never a day', async () => {
    const { tenantUrl } = await publicReportSeenByTenant();
    const exp = Number(new URL(tenantUrl, 'http://x').searchParams.get('exp'));
    const left = exp - Date.now() / 1000;
    expect(left).toBeGreaterThan(3600 - 5);
    expect(left).toBeLessThanOrEqual(7200);
  });

  test('an uploaded photo not yet part of anything is its uploader’s alone', async () => {
    const id = await photo(app, owner);
    await passCheck(id);
    expect((await mediaAs(owner, id)).json().url).toEqual(expect.any(String));
    expect((await mediaAs(tenant, id)).statusCode).toBe(404);
    expect((await mediaAs(staff, id)).statusCode).toBe(404);
  });

  test('photo ids cannot be found by counting from one’s own', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => photo(app, owner)));
    // A time-and-counter ObjectId shares its first 8 hex digits (the second) and counts up in its last 6.
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBe(ids.length);
    const counters = ids.map((id) => parseInt(id.slice(18), 16)).sort((x, y) => x - y);
    expect(counters.at(-1)! - counters[0]!).toBeGreaterThan(ids.length);
  });
});

describe('a photo belongs to exactly one item', () => {
  test('a photo already part of a report cannot back another one: 409, and nothing is filed', async () => {
    const first = (await fileReport(app, owner)).json();
    const before = await app.models.Report.countDocuments({}).setOptions(CROSS_COMMUNITY);
    const again = await fileReport(app, owner, { mediaIds: [first.media[0].id] });
    expect([again.statusCode, again.json().code]).toEqual([409, 'MEDIA_ATTACHED']);
    expect(await app.models.Report.countDocuments({}).setOptions(CROSS_COMMUNITY)).toBe(before);
  });

  test('an item that fails to be stored gives its photos back; one stored as a duplicate keeps them', async () => {
    const id = await photo(app, owner);
    const media = await app.models.Media.findOne({ _id: id }).setOptions(CROSS_COMMUNITY).lean();
    const actor = await app.access.loadActor({ _id: media!.ownerId, displayName: '' }, 'test');
    const to = { kind: 'report', itemId: new Types.ObjectId(), communityId: media!.communityId };
    const attachedTo = async () =>
      (await app.models.Media.findOne({ _id: id }).setOptions(CROSS_COMMUNITY).lean())?.attachedTo?.itemId;
    const failing = (code?: number) => () => Promise.reject(Object.assign(new Error('not stored'), { code }));
    await expect(app.media.attachFor(actor, [id], to, failing())).rejects.toThrow('not stored');
    expect(await attachedTo()).toBeUndefined();
    await expect(app.media.attachFor(actor, [id], to, failing(11000))).rejects.toThrow('not stored');
    expect(String(await attachedTo())).toBe(String(to.itemId));
  });

  test('someone else’s photo is not found among one’s uploads (404)', async () => {
    const theirs = await photo(app, tenant);
    const res = await fileReport(app, owner, { mediaIds: [theirs] });
    expect([res.statusCode, res.json().code]).toEqual([404, 'NOT_FOUND']);
    const media = await app.models.Media.findOne({ _id: theirs }).setOptions(CROSS_COMMUNITY).lean();
    expect(media?.attachedTo?.itemId).toBeUndefined();
  });

  test('two reports racing for one photo: one is filed with it, the other gets 409', async () => {
    const id = await photo(app, owner);
    const results = await Promise.all([
      fileReport(app, owner, { mediaIds: [id] }),
      fileReport(app, owner, { mediaIds: [id] }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const filed = results.find((r) => r.statusCode === 201)!.json();
    const media = await app.models.Media.findOne({ _id: id }).setOptions(CROSS_COMMUNITY).lean();
    expect(String(media?.attachedTo?.itemId)).toBe(filed.id);
  });

  test('a retry of one filing racing the first try answers the same report', async () => {
    const id = await photo(app, owner);
    const idempotencyKey = `race-${Date.now()}`;
    const results = await Promise.all([
      fileReport(app, owner, { mediaIds: [id], idempotencyKey }),
      fileReport(app, owner, { mediaIds: [id], idempotencyKey }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(results[0]!.json().id).toBe(results[1]!.json().id);
  });
});

/** A PNG whose header claims `width` × `height` pixels: a few hundred bytes that would decode to gigabytes. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('broken uploads are a clear 4xx, every time', () => {
  async function upload(file: Buffer, type = 'image/jpeg') {
    const body = multipart(file, 'photo.jpg', type);
    return app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { ...owner.headers, 'content-type': body.contentType, 'idempotency-key': `broken-${++keys}` },
      payload: body.payload,
    });
  }
  const outcome = (res: { statusCode: number; json: () => { code: string } }) => [res.statusCode, res.json().code];

  test('a multipart form without a boundary, or cut short, is 400', async () => {
    for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=zzz']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/media',
        headers: { ...owner.headers, 'content-type': contentType, 'idempotency-key': `broken-${++keys}` },
        payload: '{}',
      });
      expect(outcome(res)).toEqual([400, 'BAD_REQUEST']);
    }
  });

  test('a truncated JPEG is 422 IMAGE_INVALID', async () => {
    const whole = await cameraJpeg('#446688', 1200, 900);
    expect(outcome(await upload(whole.subarray(0, Math.floor(whole.length * 0.6))))).toEqual([422, 'IMAGE_INVALID']);
  });

  test('a tiny PNG claiming 10000×10000 pixels is 413 IMAGE_TOO_LARGE, decoded never', async () => {
    const bomb = pngClaiming(10_000, 10_000);
    expect(bomb.length).toBeLessThan(20_000);
    expect(outcome(await upload(bomb, 'image/png'))).toEqual([413, 'IMAGE_TOO_LARGE']);
  });

  test('a 16 MB JPEG is 413 PAYLOAD_TOO_LARGE each time, and nothing is stored', async () => {
    const before = await app.models.Media.countDocuments({}).setOptions(CROSS_COMMUNITY);
    const big = Buffer.concat([await cameraJpeg(), Buffer.alloc(16 * 1024 * 1024, 7)]);
    for (let i = 0; i < 3; i += 1) expect(outcome(await upload(big))).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await app.models.Media.countDocuments({}).setOptions(CROSS_COMMUNITY)).toBe(before);
  });
});
