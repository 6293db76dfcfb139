import { createHash, randomBytes } from 'node:crypto';
import { ErrorCode } from '../../../shared/errors';
import { AppError, ServiceUnavailableError, UnauthorizedError } from '../../errors';
import type { AccessTokenPayload } from '../../plugins/auth';
import type { Models } from '../../plugins/models';
import type { ActorCache } from '../roles/actor-cache';
import { WechatApiError, type WechatClient } from '../../wechat/client';

const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

export interface IssuedTokens {
  userId: string;
  sessionId: string;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A newcomer is 邻居 plus four digits until they choose a name (stable per openid, reveals nothing of it). */
function defaultName(openid: string): string {
  return `邻居${String(parseInt(hash(openid).slice(0, 8), 16) % 10000).padStart(4, '0')}`;
}

/** WeChat's jscode2session errors, as the client should see them. */
function loginError(err: unknown): Error {
  if (!(err instanceof WechatApiError)) {
    return new ServiceUnavailableError('WeChat login is unavailable, try again shortly', ErrorCode.WECHAT_UNAVAILABLE);
  }
  switch (err.errcode) {
    case 40029:
      return new AppError(401, ErrorCode.WECHAT_CODE_INVALID, 'The login code is invalid or expired');
    case 40163:
      return new AppError(401, ErrorCode.WECHAT_CODE_USED, 'The login code was already used');
    case 45011:
      return new AppError(429, ErrorCode.WECHAT_RATE_LIMITED, 'Too many logins, try again in a minute');
    case 40226:
      return new AppError(403, ErrorCode.WECHAT_USER_BLOCKED, 'WeChat blocked this account as high risk');
    default:
      return new ServiceUnavailableError(`WeChat login failed (${err.errcode})`, ErrorCode.WECHAT_UNAVAILABLE);
  }
}

/**
 * Login with a `wx.login` code, and sessions: a short-lived access token (JWT) plus a refresh token that
 * rotates on every use. The WeChat session key is stored on the user and never returned.
 */
export function createAuthService(deps: {
  models: Pick<Models, 'User' | 'Session' | 'RefreshToken'>;
  wechat: Pick<WechatClient, 'code2Session'>;
  signAccessToken: (payload: AccessTokenPayload) => string;
  accessTokenSeconds: number;
  actors: Pick<ActorCache, 'changed'>;
}) {
  const { models } = deps;

  async function issue(userId: string, sessionId: string): Promise<IssuedTokens> {
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + REFRESH_TTL_MS);
    await models.RefreshToken.create({ sessionId, userId, hash: hash(refreshToken), expiresAt });
    return {
      userId,
      sessionId,
      accessToken: deps.signAccessToken({ sub: userId, sid: sessionId }),
      expiresIn: deps.accessTokenSeconds,
      refreshToken,
      refreshExpiresAt: expiresAt.toISOString(),
    };
  }

  async function login(code: string): Promise<IssuedTokens> {
    let identity;
    try {
      identity = await deps.wechat.code2Session(code);
    } catch (err) {
      throw loginError(err);
    }
    const user = await models.User.findOneAndUpdate(
      { openid: identity.openid },
      {
        $set: {
          sessionKey: identity.sessionKey,
          lastLoginAt: new Date(),
          ...(identity.unionid ? { unionid: identity.unionid } : {}),
        },
        $setOnInsert: { displayName: defaultName(identity.openid) },
      },
      { upsert: true, returnDocument: 'after', projection: { _id: 1 } },
    ).lean();
    const session = await models.Session.create({ userId: user!._id });
    return issue(String(user!._id), String(session._id));
  }

  async function refresh(refreshToken: string): Promise<IssuedTokens> {
    const now = new Date();
    // One conditional update: of two concurrent refreshes with the same token, exactly one wins.
    const token = await models.RefreshToken.findOneAndUpdate(
      { hash: hash(refreshToken), usedAt: null, expiresAt: { $gt: now } },
      { $set: { usedAt: now } },
    ).lean();
    if (!token) {
      const reused = await models.RefreshToken.findOne({ hash: hash(refreshToken), usedAt: { $ne: null } }).lean();
      if (reused) {
        await models.Session.updateOne({ _id: reused.sessionId, revokedAt: null }, { $set: { revokedAt: now } });
        await deps.actors.changed([reused.userId]);
        throw new UnauthorizedError(
          'This refresh token was already used; log in again',
          ErrorCode.REFRESH_TOKEN_REUSED,
        );
      }
      throw new UnauthorizedError('Unknown or expired refresh token', ErrorCode.REFRESH_TOKEN_INVALID);
    }
    const session = await models.Session.findOneAndUpdate(
      { _id: token.sessionId, revokedAt: null },
      { $set: { lastRefreshedAt: now } },
    ).lean();
    if (!session) throw new UnauthorizedError('This login has ended; log in again', ErrorCode.SESSION_REVOKED);
    return issue(String(token.userId), String(token.sessionId));
  }

  /** Ends the session the refresh token belongs to (logout on this device). */
  async function logout(refreshToken: string): Promise<void> {
    const token = await models.RefreshToken.findOne({ hash: hash(refreshToken) }).lean();
    if (!token) return;
    await models.Session.updateOne({ _id: token.sessionId, revokedAt: null }, { $set: { revokedAt: new Date() } });
    await deps.actors.changed([token.userId]);
  }

  /** Ends every session of a user (logout everywhere). */
  async function logoutEverywhere(userId: string): Promise<void> {
    await models.Session.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: new Date() } });
    await deps.actors.changed([userId]);
  }

  return { login, refresh, logout, logoutEverywhere };
}
export type AuthService = ReturnType<typeof createAuthService>;
