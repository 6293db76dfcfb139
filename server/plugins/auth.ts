import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorCode } from '../../shared/errors';
import { UnauthorizedError } from '../errors';
import { createAccess, type Access, type Actor } from '../modules/roles/access';
import { createActorCache, type ActorCache } from '../modules/roles/actor-cache';

/** About one live access token per cached session (actor-cache.ts keeps up to 20,000). */
const MAX_CACHED_TOKENS = 20_000;

export interface AuthOptions {
  jwtSecret: string;
  accessTokenSeconds: number;
}

export interface AccessTokenPayload {
  sub: string;
  /** The session the token belongs to; revoking the session ends the token before it expires. */
  sid: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenPayload;
    user: AccessTokenPayload;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    access: Access;
    /** Actors per session, and what every change to grants or sessions must call (see actor-cache.ts). */
    actors: ActorCache;
    /** onRequest hook for routes that need a logged-in caller; sets `request.actor`. */
    authenticate(request: FastifyRequest): Promise<void>;
    accessTokenSeconds: number;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

/** Bearer access tokens (JWT, short-lived) and the permissions module, for every route that needs a caller. */
export default fp<AuthOptions>(
  async function auth(app: FastifyInstance, opts: AuthOptions) {
    await app.register(jwt, {
      secret: opts.jwtSecret,
      sign: { expiresIn: opts.accessTokenSeconds },
      // A token is checked twice per request (the rate limit's key, then the caller) and again on each of the
      // session's next requests: its signature is verified once, then looked up (by hash) until it expires.
      verify: { cache: MAX_CACHED_TOKENS },
    });
    app.decorate('accessTokenSeconds', opts.accessTokenSeconds);
    const access = createAccess(app.models);
    app.decorate('access', access);
    // The clock is the platform's, registered after this plugin; it is read per request.
    app.decorate('actors', createActorCache({ models: app.models, access, now: () => app.clock.now().getTime() }));
    app.decorateRequest('actor', null as unknown as Actor);

    app.decorate('authenticate', async function authenticate(request: FastifyRequest) {
      let payload: AccessTokenPayload;
      try {
        payload = await request.jwtVerify<AccessTokenPayload>();
      } catch (err) {
        const expired = (err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
        throw expired
          ? new UnauthorizedError('Access token expired; refresh it', ErrorCode.TOKEN_EXPIRED)
          : new UnauthorizedError('A valid access token is required');
      }
      const actor = await app.actors.actorOf(payload.sub, payload.sid);
      if (!actor) throw new UnauthorizedError('This login has ended; log in again', ErrorCode.SESSION_REVOKED);
      request.actor = actor;
    });
  },
  { name: 'auth', dependencies: ['models'] },
);
