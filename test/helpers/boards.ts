import type { FastifyInstance } from 'fastify';
import type { EntryView } from '../../shared/schemas/boards';
import type { LoggedIn } from './session';

let counter = 0;

/** Nominates as `who` (a black hallway-clutter entry by default); fields override the defaults. */
export function nominate(app: FastifyInstance, who: LoggedIn, fields: Record<string, unknown> = {}) {
  counter += 1;
  return app.inject({
    method: 'POST',
    url: '/api/board-entries',
    headers: who.headers,
    payload: {
      colour: 'black',
      act: 'hallway_clutter',
      occurredAt: '2020-01-01T00:00:00.000Z',
      description: '楼道里堆满纸箱，挡住了通道',
      idempotencyKey: `board-${process.pid}-${Date.now()}-${counter}`,
      ...fields,
    },
  });
}

/** A move on an entry: POST /api/board-entries/:id/<verb>. */
export function entryMove(app: FastifyInstance, who: LoggedIn, id: string, verb: string, payload: object = {}) {
  return app.inject({ method: 'POST', url: `/api/board-entries/${id}/${verb}`, headers: who.headers, payload });
}

/** Nominates and answers the entry, failing loudly. */
export async function nominated(
  app: FastifyInstance,
  who: LoggedIn,
  fields: Record<string, unknown> = {},
): Promise<EntryView> {
  const res = await nominate(app, who, fields);
  if (res.statusCode !== 201) throw new Error(`nominate: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A move that must succeed; answers the entry. */
export async function moved(
  app: FastifyInstance,
  who: LoggedIn,
  id: string,
  verb: string,
  payload: object = {},
): Promise<EntryView> {
  const res = await entryMove(app, who, id, verb, payload);
  if (res.statusCode !== 200) throw new Error(`${verb}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Clears every evidence photo of an entry as `staff` (marked as showing no faces or plates). */
export async function clearAll(app: FastifyInstance, staff: LoggedIn, entry: EntryView): Promise<void> {
  for (const id of entry.unclearedPhotoIds) await moved(app, staff, entry.id, `photos/${id}/clear`, { rects: [] });
}
