import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorCode } from '../../shared/errors';
import { UnauthorizedError } from '../errors';
import { createAccess, type Access, type Actor } from '../modules/roles/access';

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
    await app.register(jwt, { secret: opts.jwtSecret, sign: { expiresIn: opts.accessTokenSeconds } });
    app.decorate('accessTokenSeconds', opts.accessTokenSeconds);
    app.decorate('access', createAccess(app.models));
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
      const [session, user] = await Promise.all([
        app.models.Session.exists({ _id: payload.sid, userId: payload.sub, revokedAt: null }),
        app.models.User.findById(payload.sub, { displayName: 1 }).lean(),
      ]);
      if (!session || !user)
        throw new UnauthorizedError('This login has ended; log in again', ErrorCode.SESSION_REVOKED);
      request.actor = await app.access.loadActor(user, payload.sid);
    });
  },
  { name: 'auth', dependencies: ['models'] },
);
