import type { FastifyInstance } from 'fastify';
import { cameraJpeg, multipart } from './images';
import type { LoggedIn } from './session';

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now()}-${++counter}`;

/** A photo uploaded by `who`, as the mini-program does before filing or resolving. */
export async function photo(app: FastifyInstance, who: LoggedIn, colour = '#556677'): Promise<string> {
  const body = multipart(await cameraJpeg(colour));
  const res = await app.inject({
    method: 'POST',
    url: '/api/media',
    headers: { ...who.headers, 'content-type': body.contentType, 'idempotency-key': unique('photo') },
    payload: body.payload,
  });
  return res.json().id;
}

/** Files a report with one photo; extra fields override the defaults. */
export async function fileReport(app: FastifyInstance, who: LoggedIn, fields: Record<string, unknown> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: who.headers,
    payload: {
      category: 'sanitation',
      description: '楼道里堆满了杂物，影响通行',
      mediaIds: [await photo(app, who)],
      idempotencyKey: unique('report'),
      ...fields,
    },
  });
}

/** Makes a move on a report as `who`. */
export function move(app: FastifyInstance, who: LoggedIn, id: string, action: string, payload: object = {}) {
  return app.inject({ method: 'POST', url: `/api/reports/${id}/${action}`, headers: who.headers, payload });
}
