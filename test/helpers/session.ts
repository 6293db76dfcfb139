import type { FastifyInstance } from 'fastify';
import type { Session } from '../../shared/schemas/people';
import { mintCode, ownStandin } from './wechat';

export interface LoggedIn extends Session {
  headers: { authorization: string };
}

/** Logs in through the real flow: a code minted by the WeChat stand-in, exchanged at POST /api/auth/login. */
export async function login(app: FastifyInstance, openid: string): Promise<LoggedIn> {
  const code = await mintCode(openid, { base: ownStandin.get(app) });
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { code } });
  if (res.statusCode !== 200) throw new Error(`login as ${openid} failed: ${res.statusCode} ${res.body}`);
  const session = res.json<Session>();
  return { ...session, headers: { authorization: `Bearer ${session.accessToken}` } };
}

/** Logs in as one of the seeded demo users (server/modules/demo/data.ts). */
export function loginDemo(app: FastifyInstance, key: string): Promise<LoggedIn> {
  return login(app, `demo-${key}`);
}

let counter = 0;
/** A brand-new person nobody has seen before. */
export function newcomer(app: FastifyInstance): Promise<LoggedIn> {
  counter += 1;
  return login(app, `test-newcomer-${process.pid}-${Date.now()}-${counter}`);
}
