import type { FastifyInstance } from 'fastify';
import type { LoggedIn } from './session';

let counter = 0;

/** Orders a service as `who` (elderly help in the window given, at their home); fields override the defaults. */
export function orderService(
  app: FastifyInstance,
  who: LoggedIn,
  window: { start: Date; hours?: number },
  fields: Record<string, unknown> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/api/volunteer-orders',
    headers: who.headers,
    payload: {
      kind: 'elderly_help',
      description: '老人想请人陪同去社区医院取药',
      windowStart: window.start.toISOString(),
      windowEnd: new Date(window.start.getTime() + (window.hours ?? 2) * 3600_000).toISOString(),
      idempotencyKey: `order-${process.pid}-${Date.now()}-${++counter}`,
      ...fields,
    },
  });
}

/** A move on an order: POST /api/volunteer-orders/:id/<verb>. */
export function orderMove(app: FastifyInstance, who: LoggedIn, id: string, verb: string, payload: object = {}) {
  return app.inject({ method: 'POST', url: `/api/volunteer-orders/${id}/${verb}`, headers: who.headers, payload });
}

/** The door code the resident's phone shows now. */
export async function doorCode(app: FastifyInstance, resident: LoggedIn, id: string): Promise<string> {
  const res = await app.inject({ url: `/api/volunteer-orders/${id}/door-code`, headers: resident.headers });
  if (res.statusCode !== 200) throw new Error(`door code: ${res.statusCode} ${res.body}`);
  return res.json().code;
}
