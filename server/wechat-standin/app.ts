import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A local stand-in for WeChat's server APIs (api.weixin.qq.com), speaking their request and response
 * formats and error codes, so development and tests never need the real platform. Self-contained: it
 * imports nothing from the app.
 *
 * Real endpoints: GET /sns/jscode2session, GET /cgi-bin/token, POST /cgi-bin/stable_token.
 * Development only: POST /linli-dev/mint-code mints a one-time login code for an openid, standing in for
 * what `wx.login` returns on a phone.
 */
export interface WechatStandinOptions {
  appId: string;
  secret: string;
  /** jscode2session calls one openid may make per minute before errcode 45011 (WeChat: 100). */
  code2SessionPerMinute?: number;
}

interface MintedCode {
  openid: string;
  unionid?: string;
  expiresAt: number;
  used: boolean;
  /** Simulates WeChat blocking a high-risk account (errcode 40226). */
  highRisk: boolean;
}

const CODE_TTL_MS = 5 * 60 * 1000;
const TOKEN_TTL_S = 7200;

/** WeChat answers errors with HTTP 200 and `{ errcode, errmsg }`. */
function wxError(errcode: number, errmsg: string) {
  return { errcode, errmsg: `${errmsg} rid: ${randomBytes(4).toString('hex')}` };
}

export function buildWechatStandin(opts: WechatStandinOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const codes = new Map<string, MintedCode>();
  const tokens = new Map<string, number>();
  const calls = new Map<string, number[]>();
  const perMinute = opts.code2SessionPerMinute ?? 100;

  function credentialsError(appid: unknown, secret: unknown) {
    if (appid !== opts.appId) return wxError(40013, 'invalid appid');
    if (secret !== opts.secret) return wxError(40125, 'invalid appsecret');
    return undefined;
  }

  function issueToken() {
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, Date.now() + TOKEN_TTL_S * 1000);
    return { access_token: token, expires_in: TOKEN_TTL_S };
  }

  app.decorate('isValidAccessToken', (token: unknown) => {
    const expires = typeof token === 'string' ? tokens.get(token) : undefined;
    return expires !== undefined && expires > Date.now();
  });

  app.post<{ Body: { openid: string; unionid?: string; highRisk?: boolean; expiresInMs?: number } }>(
    '/linli-dev/mint-code',
    {
      schema: {
        body: {
          type: 'object',
          required: ['openid'],
          properties: {
            openid: { type: 'string', minLength: 1, maxLength: 64 },
            unionid: { type: 'string', maxLength: 64 },
            highRisk: { type: 'boolean' },
            expiresInMs: { type: 'integer', minimum: 0, maximum: 300000 },
          },
        },
      },
    },
    async function mintCode(request) {
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        openid: request.body.openid,
        unionid: request.body.unionid,
        expiresAt: Date.now() + (request.body.expiresInMs ?? CODE_TTL_MS),
        used: false,
        highRisk: request.body.highRisk ?? false,
      });
      return { code };
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/sns/jscode2session',
    async function code2Session(request) {
      const { appid, secret, js_code: jsCode, grant_type: grantType } = request.query;
      const bad = credentialsError(appid, secret);
      if (bad) return bad;
      if (grantType !== 'authorization_code') return wxError(40002, 'invalid grant_type');
      const minted = jsCode ? codes.get(jsCode) : undefined;
      if (!minted || minted.expiresAt <= Date.now()) return wxError(40029, 'invalid code');
      if (minted.used) return wxError(40163, 'code been used');
      const now = Date.now();
      const recent = (calls.get(minted.openid) ?? []).filter((t) => t > now - 60_000);
      if (recent.length >= perMinute)
        return wxError(45011, 'api minute-quota reach limit  mustslower  retry next minute');
      calls.set(minted.openid, [...recent, now]);
      minted.used = true;
      if (minted.highRisk) return wxError(40226, 'code blocked');
      return {
        openid: minted.openid,
        session_key: randomBytes(16).toString('base64'),
        ...(minted.unionid ? { unionid: minted.unionid } : {}),
      };
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>('/cgi-bin/token', async function token(request) {
    const { appid, secret, grant_type: grantType } = request.query;
    if (grantType !== 'client_credential') return wxError(40002, 'invalid grant_type');
    return credentialsError(appid, secret) ?? issueToken();
  });

  app.post<{ Body: { grant_type?: string; appid?: string; secret?: string } }>(
    '/cgi-bin/stable_token',
    async function stableToken(request) {
      const { appid, secret, grant_type: grantType } = request.body ?? {};
      if (grantType !== 'client_credential') return wxError(40002, 'invalid grant_type');
      return credentialsError(appid, secret) ?? issueToken();
    },
  );

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** True for an unexpired token issued by this stand-in (content-security and message endpoints check it). */
    isValidAccessToken(token: unknown): boolean;
  }
}
