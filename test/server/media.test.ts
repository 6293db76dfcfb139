import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { seedDemo } from '../../server/modules/demo/seed';
import { placeId } from '../helpers/demo';
import { cameraJpeg, multipart, reviewImage, riskyImage } from '../helpers/images';
import { eventually, liveApp, type LiveApp } from '../helpers/live';
import { loginDemo, type LoggedIn } from '../helpers/session';

let live: LiveApp;
let app: FastifyInstance;
let captain: LoggedIn;
let owner: LoggedIn;
let building: string;
let keyCounter = 0;

beforeAll(async () => {
  live = await liveApp();
  app = live.app;
  await seedDemo(app.db.connection, app.models);
  [captain, owner] = await Promise.all([loginDemo(app, 'captain'), loginDemo(app, 'owner')]);
  building = await placeId(app, ['幸福里社区', '阳光花园', '1栋']);
});
afterAll(() => live.close());

async function upload(who: LoggedIn, file: Buffer, key = `upload-${Date.now()}-${++keyCounter}`, type = 'image/jpeg') {
  const body = multipart(file, 'photo.jpg', type);
  return app.inject({
    method: 'POST',
    url: '/api/media',
    headers: { ...who.headers, 'content-type': body.contentType, 'idempotency-key': key },
    payload: body.payload,
  });
}

/** What anyone holding the URL gets, with no login (as <image src> in the mini-program). */
const fetchImage = (url: string) => app.inject({ url });

const mediaOf = async (who: LoggedIn, id: string) =>
  (await app.inject({ url: `/api/media/${id}`, headers: who.headers })).json();

describe('upload', () => {
  test('the served photo has no EXIF or GPS, is upright, and comes in display and thumbnail sizes', async () => {
    const res = await upload(owner, await cameraJpeg('#88aa44', 3000, 2000));
    expect(res.statusCode).toBe(201);
    const media = res.json();
    expect(media).toMatchObject({ width: 1067, height: 1600, checkStatus: 'checking' });
    for (const url of [media.url, media.thumbUrl]) {
      const image = await fetchImage(url);
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/jpeg');
      expect(image.headers['cache-control']).toBe('private, max-age=600');
      const meta = await sharp(image.rawPayload).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(image.rawPayload.includes(Buffer.from('TestPhone'))).toBe(false);
      expect(Math.max(meta.width!, meta.height!)).toBe(url === media.url ? 1600 : 400);
      expect(meta.height! > meta.width!).toBe(true);
    }
  });

  test('a repeated upload with the same key (a retry after a dropped network) is one photo', async () => {
    const file = await cameraJpeg();
    const first = await upload(owner, file, 'retry-key-0001');
    const second = await upload(owner, file, 'retry-key-0001');
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json().id).toBe(first.json().id);
    expect(
      await app.models.Media.countDocuments({ idempotencyKey: 'retry-key-0001' }).setOptions(CROSS_COMMUNITY),
    ).toBe(1);
  });

  test('not an image, too large, or no key: a clear 4xx and nothing stored', async () => {
    const before = await app.models.Media.countDocuments({}).setOptions(CROSS_COMMUNITY);
    const text = await upload(owner, Buffer.from('just some text, not a photo'), undefined, 'image/jpeg');
    expect([text.statusCode, text.json().code]).toEqual([415, 'IMAGE_INVALID']);
    const big = await upload(owner, Buffer.alloc(10 * 1024 * 1024 + 1, 1));
    expect([big.statusCode, big.json().code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const body = multipart(await cameraJpeg());
    const keyless = await app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { ...owner.headers, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect([keyless.statusCode, keyless.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await app.models.Media.countDocuments({}).setOptions(CROSS_COMMUNITY)).toBe(before);
  });

  test('someone outside the community cannot see the photo; a forged or expired link is refused', async () => {
    const media = (await upload(owner, await cameraJpeg())).json();
    const stranger = await loginDemo(app, 'other');
    expect((await app.inject({ url: `/api/media/${media.id}`, headers: stranger.headers })).statusCode).toBe(404);
    const forged = media.url.replace(/sig=[^&]+/, 'sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await fetchImage(forged)).statusCode).toBe(403);
    // A link names whom it was issued to; naming someone else (or everyone) breaks the signature.
    for (const viewer of ['public', 'check', stranger.me.id]) {
      const reissued = media.url.replace(/viewer=[^&]+/, `viewer=${viewer}`);
      expect((await fetchImage(reissued)).statusCode).toBe(403);
    }
    const expired = media.url.replace(/exp=\d+/, 'exp=1000');
    expect((await fetchImage(expired)).statusCode).toBe(403);
  });
});

describe("WeChat's asynchronous image check", () => {
  async function noticeWith(file: Buffer) {
    const media = (await upload(captain, file)).json();
    const res = await app.inject({
      method: 'POST',
      url: `/api/channels/${building}/notices`,
      headers: captain.headers,
      payload: { title: '楼道照片', body: '请看照片', mediaIds: [media.id] },
    });
    expect(res.statusCode).toBe(201);
    return { media, notice: res.json() };
  }

  const ownerSees = async (noticeId: string) => {
    const page = (await app.inject({ url: `/api/channels/${building}/notices`, headers: owner.headers })).json();
    return page.items.find((n: { id: string }) => n.id === noticeId)?.media[0];
  };

  test('a photo stays with its author and staff until WeChat passes it, then everyone sees it', async () => {
    const { media, notice } = await noticeWith(await cameraJpeg('#336699'));
    expect(await ownerSees(notice.id)).toMatchObject({ checkStatus: 'checking', url: null });
    expect((await mediaOf(captain, media.id)).url).toEqual(expect.any(String));

    await app.jobs.runDue();
    const passed = await eventually(
      () => ownerSees(notice.id),
      (m) => m?.checkStatus === 'pass',
      'the pass verdict',
    );
    expect((await fetchImage(passed.url)).statusCode).toBe(200);
  });

  test('a photo WeChat finds risky is hidden from everyone but staff, and its item goes to the queue', async () => {
    const { media, notice } = await noticeWith(await riskyImage());
    const authorUrl = (await mediaOf(captain, media.id)).url;
    await app.jobs.runDue();
    await eventually(
      () => mediaOf(captain, media.id),
      (m) => m.checkStatus === 'risky',
      'the risky verdict',
    );
    expect(await ownerSees(notice.id)).toMatchObject({ url: null });
    expect((await mediaOf(captain, media.id)).url).toBeNull();
    expect((await fetchImage(authorUrl)).statusCode).toBe(404);

    const staff = await loginDemo(app, 'staff');
    const queue = (await app.inject({ url: '/api/moderation/cases', headers: staff.headers })).json();
    const found = queue.items.find((c: { itemId: string }) => c.itemId === notice.id);
    expect(found).toMatchObject({ kind: 'notice', reason: 'media-risky' });
    expect((await fetchImage(found.media[0].url)).statusCode).toBe(200);
  });

  test('a photo WeChat wants reviewed waits for staff', async () => {
    const { notice } = await noticeWith(await reviewImage());
    await app.jobs.runDue();
    const staff = await loginDemo(app, 'staff');
    const found = await eventually(
      async () =>
        (await app.inject({ url: '/api/moderation/cases', headers: staff.headers }))
          .json<{ items: { itemId: string; reason: string }[] }>()
          .items.find((c) => c.itemId === notice.id),
      Boolean,
      'the review case',
    );
    expect(found?.reason).toBe('media-review');
    expect(await ownerSees(notice.id)).toMatchObject({ checkStatus: 'review', url: null });
  });

  test("a push without WeChat's signature is refused", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/wechat/push?signature=bad&timestamp=1&nonce=2',
      payload: { Event: 'wxa_media_check', trace_id: 'x', result: { suggest: 'pass' } },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('when WeChat quota is spent', () => {
  let strict: LiveApp;
  beforeAll(async () => {
    strict = await liveApp({ mediaCheckQuota: 0 });
    await seedDemo(strict.app.db.connection, strict.app.models);
  });
  afterAll(() => strict.close());

  test('the check is queued and retried with backoff; the photo stays private meanwhile', async () => {
    const who = await loginDemo(strict.app, 'owner');
    const body = multipart(await cameraJpeg());
    const res = await strict.app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { ...who.headers, 'content-type': body.contentType, 'idempotency-key': 'quota-test-0001' },
      payload: body.payload,
    });
    await strict.app.jobs.runDue();
    const job = await strict.app.models.Job.findOne({ key: `media.check:${res.json().id}` }).lean();
    expect(job).toMatchObject({ status: 'scheduled', attempts: 1, lastError: expect.stringContaining('45009') });
    expect(job!.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(
      (await strict.app.inject({ url: `/api/media/${res.json().id}`, headers: who.headers })).json().checkStatus,
    ).toBe('checking');
  });
});
