import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import sharp from 'sharp';
import { buildDemoApp, place } from '../helpers/demo';
import { cameraJpeg, multipart } from '../helpers/images';
import { loginDemo, type LoggedIn } from '../helpers/session';

/**
 * Redaction must reach every size a photo is served in. The display size is checked by the moderation suite;
 * here the thumbnail, which is made separately and would still show the face if it were made from the
 * unredacted image.
 */
let app: FastifyInstance;
let captain: LoggedIn;
let staff: LoggedIn;

beforeAll(async () => {
  app = await buildDemoApp();
  [captain, staff] = await Promise.all([loginDemo(app, 'captain'), loginDemo(app, 'staff')]);
});
afterAll(() => app.close());

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The mean of each colour channel over a region of a served image. */
async function meanColour(url: string, region: Region): Promise<number[]> {
  const res = await app.inject({ url });
  expect(res.statusCode).toBe(200);
  // Decoded by hand: sharp's stats() describes the whole input and ignores extract().
  const { data, info } = await sharp(res.rawPayload).extract(region).raw().toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels) for (let c = 0; c < 3; c++) sums[c]! += data[i + c]!;
  return sums.map((sum) => sum / (region.width * region.height));
}

test("a redacted region is the redaction's black in the thumbnail too, and the rest of it is untouched", async () => {
  // 1200 × 900 taken sideways (EXIF orientation 6): displayed 900 × 1200, thumbnail 300 × 400, a third of it.
  const body = multipart(await cameraJpeg('#ffffff', 1200, 900));
  const media = (
    await app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { ...captain.headers, 'content-type': body.contentType, 'idempotency-key': 'redaction-thumb-1' },
      payload: body.payload,
    })
  ).json();
  const building = await place(app, ['幸福里社区', '阳光花园', '1栋']);
  // A pending word sends the notice to the moderation queue, where staff redact its photo.
  const notice = (
    await app.inject({
      method: 'POST',
      url: `/api/channels/${building._id}/notices`,
      headers: captain.headers,
      payload: { title: '有人脸的照片', body: '测试待审词', mediaIds: [media.id] },
    })
  ).json();
  const found = await app.models.ModerationCase.findOne({
    communityId: building.communityId,
    itemId: new Types.ObjectId(notice.id),
  }).lean();

  // Display pixels 0–299 square are redacted: thumbnail pixels 0–99. Measured inside, away from the JPEG edges.
  const inside = { left: 10, top: 10, width: 80, height: 80 };
  const outside = { left: 150, top: 200, width: 120, height: 160 };
  expect(Math.min(...(await meanColour(media.thumbUrl, inside)))).toBeGreaterThan(240);

  const res = await app.inject({
    method: 'POST',
    url: `/api/moderation/cases/${found!._id}/redact-photo`,
    headers: staff.headers,
    payload: { mediaId: media.id, rects: [{ x: 0, y: 0, width: 300, height: 300 }] },
  });
  expect(res.statusCode).toBe(200);
  const { thumbUrl } = (await app.inject({ url: `/api/media/${media.id}`, headers: captain.headers })).json();
  expect(thumbUrl).toContain('v=2');
  expect((await sharp((await app.inject({ url: thumbUrl })).rawPayload).metadata()).width).toBe(300);
  expect(Math.max(...(await meanColour(thumbUrl, inside)))).toBeLessThan(10);
  expect(Math.min(...(await meanColour(thumbUrl, outside)))).toBeGreaterThan(240);
  expect((await app.inject({ url: media.thumbUrl })).statusCode).toBe(404);
});
