import type { FastifyInstance } from 'fastify';
import { cameraJpeg, multipart } from './images';
import { place } from './demo';
import type { LoggedIn } from './session';

let counter = 0;

/** Posts a wish as `who` (a goods wish for their own household by default); fields override the defaults. */
export function postWish(app: FastifyInstance, who: LoggedIn, fields: Record<string, unknown> = {}) {
  counter += 1;
  return app.inject({
    method: 'POST',
    url: '/api/wishes',
    headers: who.headers,
    payload: {
      text: '想要一台收音机，平时听听戏曲',
      kind: 'goods',
      beneficiaryKind: 'elderly_alone',
      valueYuan: 120,
      wantedBy: '2027-03-30',
      showMaskedName: true,
      idempotencyKey: `wish-${process.pid}-${Date.now()}-${counter}`,
      ...fields,
    },
  });
}

/** A move on a wish: POST /api/wishes/:id/<verb>. */
export function wishMove(app: FastifyInstance, who: LoggedIn, id: string, verb: string, payload: object = {}) {
  return app.inject({ method: 'POST', url: `/api/wishes/${id}/${verb}`, headers: who.headers, payload });
}

/** A household of the demo community by its unit's names and room. */
export async function householdAt(app: FastifyInstance, unit: string[], room: string): Promise<string> {
  const node = await place(app, unit);
  const found = await app.models.Household.findOne({ communityId: node.communityId, unitId: node._id, room }).lean();
  if (!found) throw new Error(`no household ${unit.join('/')} ${room}`);
  return String(found._id);
}

/** A photo uploaded by `who`, ready to attach. */
export async function uploadPhoto(app: FastifyInstance, who: LoggedIn): Promise<string> {
  const body = multipart(await cameraJpeg());
  counter += 1;
  const res = await app.inject({
    method: 'POST',
    url: '/api/media',
    headers: {
      ...who.headers,
      'content-type': body.contentType,
      'idempotency-key': `wish-photo-${Date.now()}-${counter}`,
    },
    payload: body.payload,
  });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** Posts a wish as `who` and has `staff` publish it; answers its id. */
export async function publishedWish(
  app: FastifyInstance,
  who: LoggedIn,
  staff: LoggedIn,
  fields: Record<string, unknown> = {},
): Promise<string> {
  const posted = await postWish(app, who, fields);
  if (posted.statusCode !== 201) throw new Error(`post: ${posted.statusCode} ${posted.body}`);
  const published = await wishMove(app, staff, posted.json().id, 'publish');
  if (published.statusCode !== 200) throw new Error(`publish: ${published.statusCode} ${published.body}`);
  return posted.json().id;
}
