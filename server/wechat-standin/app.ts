import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import sharp from 'sharp';

/**
 * A local stand-in for WeChat's server APIs (api.weixin.qq.com), speaking their request and response
 * formats and error codes, so development and tests never need the real platform. Self-contained: it
 * imports nothing from the app.
 *
 * Real endpoints: GET /sns/jscode2session, GET /cgi-bin/token, POST /cgi-bin/stable_token,
 * POST /wxa/msg_sec_check, POST /wxa/media_check_async (its verdict is pushed to `pushUrl` as the
 * wxa_media_check event), POST /cgi-bin/message/subscribe/send, POST /wxa/getwxacodeunlimit (a JPEG that names
 * its scene rather than a scannable code).
 *
 * Fixed test inputs, so tests can exercise every verdict:
 * - text containing 测试违规词 (or 违禁品) is risky; text containing 测试待审词 needs review;
 * - an image that is mostly pure red is risky, mostly pure blue needs review; anything else passes.
 *
 * Development only: POST /linli-dev/mint-code mints a one-time login code for an openid (what `wx.login`
 * returns on a phone); POST /linli-dev/subscribe records a subscribe-message consent (what the user's
 * tap in `wx.requestSubscribeMessage` tells WeChat); GET /linli-dev/sent lists the messages sent; GET
 * /linli-dev/codes lists the mini-program codes made.
 */
export interface WechatStandinOptions {
  appId: string;
  secret: string;
  /** jscode2session calls one openid may make per minute before errcode 45011 (WeChat: 100). */
  code2SessionPerMinute?: number;
  /** Where wxa_media_check results are pushed (the app's message-push URL) and the token that signs them. */
  pushUrl?: string;
  pushToken?: string;
  /** Delay before a media verdict is pushed (WeChat: up to 30 minutes). */
  pushDelayMs?: number;
  /** Calls allowed before content-security APIs answer 45009 (daily quota reached). */
  mediaCheckQuota?: number;
  msgSecCheckQuota?: number;
  subscribeSendQuota?: number;
}

export const RISKY_WORDS = ['测试违规词', '违禁品'];
export const REVIEW_WORDS = ['测试待审词'];

/** WeChat's message-push signature: sha1 of token, timestamp and nonce sorted and joined. */
export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
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

  const usage = { media: 0, msg: 0, send: 0 };
  const consents = new Map<string, number>();
  const sent: { touser: string; template_id: string; page?: string; data: unknown }[] = [];
  const qrCodes: { scene: string; page?: string; envVersion: string }[] = [];

  function tokenError(token: unknown) {
    return app.isValidAccessToken(token)
      ? undefined
      : wxError(40001, 'invalid credential, access_token is invalid or not latest');
  }

  app.post<{ Querystring: { access_token?: string }; Body: Record<string, unknown> }>(
    '/wxa/msg_sec_check',
    async function msgSecCheck(request) {
      const bad = tokenError(request.query.access_token);
      if (bad) return bad;
      const { content, version, openid, scene, title, nickname } = request.body ?? {};
      if (version !== 2 || typeof openid !== 'string' || ![1, 2, 3, 4].includes(Number(scene))) {
        return wxError(40097, 'invalid args');
      }
      if (typeof content !== 'string' || content.length > 2500) return wxError(40097, 'invalid args: content');
      if (opts.msgSecCheckQuota !== undefined && ++usage.msg > opts.msgSecCheckQuota) {
        return wxError(45009, 'reach max api daily quota limit');
      }
      const text = [content, title, nickname].filter((t) => typeof t === 'string').join('\n');
      const risky = RISKY_WORDS.find((w) => text.includes(w));
      const review = REVIEW_WORDS.find((w) => text.includes(w));
      const suggest = risky ? 'risky' : review ? 'review' : 'pass';
      const label = risky ? 20006 : review ? 21000 : 100;
      return {
        errcode: 0,
        errmsg: 'ok',
        result: { suggest, label },
        detail: [
          { strategy: 'content_model', errcode: 0, suggest, label, prob: risky || review ? 90 : 0 },
          ...(risky || review
            ? [{ strategy: 'keyword', errcode: 0, suggest, label, level: 20, keyword: risky ?? review }]
            : []),
        ],
        trace_id: randomBytes(12).toString('hex'),
      };
    },
  );

  /** Mostly pure red → risky, mostly pure blue → review, else pass. */
  async function judgeImage(url: string): Promise<{ suggest: string; label: number }> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { channels } = await sharp(Buffer.from(await response.arrayBuffer())).stats();
      const [r, g, b] = channels.map((c) => c.mean);
      if (r! > 200 && g! < 60 && b! < 60) return { suggest: 'risky', label: 20002 };
      if (b! > 200 && r! < 60 && g! < 60) return { suggest: 'review', label: 21000 };
      return { suggest: 'pass', label: 100 };
    } catch {
      return { suggest: 'review', label: 21000 };
    }
  }

  async function pushVerdict(traceId: string, openid: string, url: string): Promise<void> {
    if (!opts.pushUrl) return;
    const result = await judgeImage(url);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const query = new URLSearchParams({
      signature: pushSignature(opts.pushToken ?? '', timestamp, nonce),
      timestamp,
      nonce,
    });
    await fetch(`${opts.pushUrl}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ToUserName: 'gh_linli_standin',
        FromUserName: openid,
        CreateTime: Number(timestamp),
        MsgType: 'event',
        Event: 'wxa_media_check',
        appid: opts.appId,
        trace_id: traceId,
        version: 2,
        detail: [{ strategy: 'content_model', errcode: 0, ...result, prob: 90 }],
        errcode: 0,
        errmsg: 'ok',
        result,
      }),
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined);
  }

  app.post<{ Querystring: { access_token?: string }; Body: Record<string, unknown> }>(
    '/wxa/media_check_async',
    async function mediaCheckAsync(request) {
      const bad = tokenError(request.query.access_token);
      if (bad) return bad;
      const { media_url: url, media_type: type, version, openid, scene } = request.body ?? {};
      if (
        version !== 2 ||
        type !== 2 ||
        typeof url !== 'string' ||
        typeof openid !== 'string' ||
        ![1, 2, 3, 4].includes(Number(scene))
      ) {
        return wxError(40097, 'invalid args');
      }
      if (opts.mediaCheckQuota !== undefined && ++usage.media > opts.mediaCheckQuota) {
        return wxError(45009, 'reach max api daily quota limit');
      }
      const traceId = randomBytes(12).toString('hex');
      setTimeout(() => void pushVerdict(traceId, openid, url), opts.pushDelayMs ?? 100);
      return { errcode: 0, errmsg: 'ok', trace_id: traceId };
    },
  );

  app.post<{ Body: { openid: string; templateId: string } }>(
    '/linli-dev/subscribe',
    {
      schema: {
        body: {
          type: 'object',
          required: ['openid', 'templateId'],
          properties: { openid: { type: 'string' }, templateId: { type: 'string' } },
        },
      },
    },
    async function recordConsent(request) {
      const key = `${request.body.openid}:${request.body.templateId}`;
      consents.set(key, (consents.get(key) ?? 0) + 1);
      return { consents: consents.get(key) };
    },
  );

  app.post<{ Querystring: { access_token?: string }; Body: Record<string, unknown> }>(
    '/cgi-bin/message/subscribe/send',
    async function sendSubscribeMessage(request) {
      const bad = tokenError(request.query.access_token);
      if (bad) return bad;
      const { touser, template_id: templateId, data, page } = request.body ?? {};
      if (typeof touser !== 'string' || typeof templateId !== 'string' || typeof data !== 'object' || data === null) {
        return wxError(47003, 'argument invalid!');
      }
      const tooLong = Object.entries(data as Record<string, { value?: unknown }>).find(
        ([key, field]) => key.startsWith('thing') && String(field?.value ?? '').length > 20,
      );
      if (tooLong) return wxError(47003, `argument invalid! data.${tooLong[0]}.value exceeds the limit`);
      if (opts.subscribeSendQuota !== undefined && ++usage.send > opts.subscribeSendQuota) {
        return wxError(45009, 'reach max api daily quota limit');
      }
      const key = `${touser}:${templateId}`;
      const remaining = consents.get(key) ?? 0;
      if (remaining <= 0) return wxError(43101, 'user refuse to accept the msg');
      consents.set(key, remaining - 1);
      sent.push({ touser, template_id: templateId, page: typeof page === 'string' ? page : undefined, data });
      return { errcode: 0, errmsg: 'ok', msgid: Date.now() };
    },
  );

  app.post<{ Querystring: { access_token?: string }; Body: Record<string, unknown> }>(
    '/wxa/getwxacodeunlimit',
    async function unlimitedQrCode(request, reply) {
      const bad = tokenError(request.query.access_token);
      if (bad) return bad;
      const { scene, page, width = 430, env_version: envVersion = 'release' } = request.body ?? {};
      if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32)
        return wxError(40169, 'invalid length for scene, or the data is not json string');
      if (!/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/.test(scene)) return wxError(40129, 'invalid scene');
      if (page !== undefined && (typeof page !== 'string' || page.startsWith('/') || page.includes('?')))
        return wxError(41030, 'invalid page');
      if (!['release', 'trial', 'develop'].includes(String(envVersion))) return wxError(40097, 'invalid args');
      const side = Math.min(1280, Math.max(280, Number(width) || 430));
      qrCodes.push({ scene, page: typeof page === 'string' ? page : undefined, envVersion: String(envVersion) });
      // Not a scannable code: a round badge that names the scene, so a developer can see what it would open.
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}">
        <circle cx="${side / 2}" cy="${side / 2}" r="${side / 2 - 4}" fill="#fff" stroke="#07c160" stroke-width="8"/>
        <text x="50%" y="50%" font-size="${Math.round(side / 12)}" text-anchor="middle" fill="#07c160">${scene.replace(/[<>&'"]/g, '')}</text>
      </svg>`;
      return reply
        .type('image/jpeg')
        .send(await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).jpeg().toBuffer());
    },
  );

  app.get('/linli-dev/codes', async function listQrCodes() {
    return qrCodes;
  });

  app.get<{ Querystring: { openid?: string } }>('/linli-dev/sent', async function listSent(request) {
    return sent.filter((m) => !request.query.openid || m.touser === request.query.openid);
  });

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** True for an unexpired token issued by this stand-in (content-security and message endpoints check it). */
    isValidAccessToken(token: unknown): boolean;
  }
}
