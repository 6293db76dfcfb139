/**
 * The one client for WeChat's server APIs. Its base URL is configurable: https://api.weixin.qq.com in
 * production, the bundled stand-in (server/wechat-standin) in development and tests.
 */

/** WeChat answered with a non-zero errcode. */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
  ) {
    super(`WeChat ${api} failed: ${errcode} ${errmsg}`);
    this.name = 'WechatApiError';
  }
}

/** WeChat could not be reached or answered something that is not its API format. */
export class WechatUnreachableError extends Error {
  constructor(
    readonly api: string,
    cause: unknown,
  ) {
    super(`WeChat ${api} unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'WechatUnreachableError';
  }
}

export interface WechatClientOptions {
  baseUrl: string;
  appId: string;
  secret: string;
  /** The mini-program version that codes made here open (default release). */
  envVersion?: 'release' | 'trial' | 'develop';
  timeoutMs?: number;
}

export interface CodeSession {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

type WxBody = { errcode?: number; errmsg?: string } & Record<string, unknown>;

/** Access tokens are refreshed this long before WeChat says they expire. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;

export function createWechatClient(opts: WechatClientOptions) {
  const timeoutMs = opts.timeoutMs ?? 5000;
  let token: { value: string; expiresAt: number } | undefined;
  let tokenRequest: Promise<string> | undefined;

  /** One API call. WeChat answers JSON; an API that makes an image answers its bytes instead (then `image`). */
  async function call(
    api: string,
    path: string,
    init?: { query?: Record<string, string>; json?: unknown },
  ): Promise<WxBody & { image?: { contentType: string; bytes: Buffer } }> {
    const url = new URL(opts.baseUrl + path);
    for (const [key, value] of Object.entries(init?.query ?? {})) url.searchParams.set(key, value);
    let body: WxBody;
    try {
      const response = await fetch(url, {
        method: init?.json === undefined ? 'GET' : 'POST',
        headers: init?.json === undefined ? undefined : { 'content-type': 'application/json' },
        body: init?.json === undefined ? undefined : JSON.stringify(init.json),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType.startsWith('image/'))
        return { image: { contentType, bytes: Buffer.from(await response.arrayBuffer()) } };
      body = (await response.json()) as WxBody;
    } catch (err) {
      throw new WechatUnreachableError(api, err);
    }
    if (typeof body !== 'object' || body === null) throw new WechatUnreachableError(api, 'not a JSON object');
    if (body.errcode) throw new WechatApiError(body.errcode, body.errmsg ?? '', api);
    return body;
  }

  async function fetchToken(): Promise<string> {
    const body = await call('stable_token', '/cgi-bin/stable_token', {
      json: { grant_type: 'client_credential', appid: opts.appId, secret: opts.secret },
    });
    const value = String(body.access_token);
    token = { value, expiresAt: Date.now() + Number(body.expires_in) * 1000 - TOKEN_MARGIN_MS };
    return value;
  }

  return {
    /** Exchanges a `wx.login` code for the user's openid (and unionid); the session key stays on the server. */
    async code2Session(code: string): Promise<CodeSession> {
      const body = await call('jscode2session', '/sns/jscode2session', {
        query: { appid: opts.appId, secret: opts.secret, js_code: code, grant_type: 'authorization_code' },
      });
      if (typeof body.openid !== 'string' || typeof body.session_key !== 'string') {
        throw new WechatUnreachableError('jscode2session', 'answer lacks openid or session_key');
      }
      return {
        openid: body.openid,
        sessionKey: body.session_key,
        ...(typeof body.unionid === 'string' ? { unionid: body.unionid } : {}),
      };
    },

    /** The app's access token, cached and shared by concurrent callers. */
    async accessToken(): Promise<string> {
      if (token && token.expiresAt > Date.now()) return token.value;
      tokenRequest ??= fetchToken().finally(() => (tokenRequest = undefined));
      return tokenRequest;
    },

    /**
     * msgSecCheck v2: WeChat's verdict on a user's text. `scene` 1 profile, 2 comment, 3 forum, 4 social log.
     * Content is limited to 2,500 characters.
     */
    async msgSecCheck(input: {
      openid: string;
      scene: 1 | 2 | 3 | 4;
      content: string;
      title?: string;
      nickname?: string;
    }) {
      const body = await this.withToken('msg_sec_check', '/wxa/msg_sec_check', { version: 2, ...input });
      const result = body.result as { suggest?: string; label?: number } | undefined;
      return {
        suggest: (result?.suggest ?? 'review') as 'pass' | 'review' | 'risky',
        label: Number(result?.label ?? 0),
        traceId: String(body.trace_id ?? ''),
      };
    },

    /** mediaCheckAsync v2: WeChat downloads the image and pushes its verdict (event wxa_media_check) later. */
    async mediaCheckAsync(input: { openid: string; scene: 1 | 2 | 3 | 4; mediaUrl: string }): Promise<string> {
      const body = await this.withToken('media_check_async', '/wxa/media_check_async', {
        media_url: input.mediaUrl,
        media_type: 2,
        version: 2,
        scene: input.scene,
        openid: input.openid,
      });
      return String(body.trace_id);
    },

    /** Sends one subscribe message (each needs one consent the user gave in the mini-program). */
    async sendSubscribeMessage(input: {
      openid: string;
      templateId: string;
      page?: string;
      data: Record<string, string>;
    }) {
      await this.withToken('subscribe_send', '/cgi-bin/message/subscribe/send', {
        touser: input.openid,
        template_id: input.templateId,
        page: input.page,
        data: Object.fromEntries(Object.entries(input.data).map(([key, value]) => [key, { value }])),
        miniprogram_state: 'formal',
        lang: 'zh_CN',
      });
    },

    /**
     * getUnlimitedQRCode: a mini-program code that opens `page` with `scene` (≤ 32 characters of
     * [0-9A-Za-z!#$&'()*+,/:;=?@-._~]). `checkPath: false` lets it name a page not yet released.
     */
    async unlimitedQrCode(input: {
      scene: string;
      page: string;
      checkPath?: boolean;
      width?: number;
    }): Promise<{ contentType: string; bytes: Buffer }> {
      const body = await this.withToken('getwxacodeunlimit', '/wxa/getwxacodeunlimit', {
        scene: input.scene,
        page: input.page,
        check_path: input.checkPath ?? true,
        env_version: opts.envVersion ?? 'release',
        width: input.width ?? 430,
      });
      if (!body.image) throw new WechatUnreachableError('getwxacodeunlimit', 'answer is not an image');
      return body.image;
    },

    /** Calls an API that takes `access_token` in the query, refreshing the token once if WeChat rejects it. */
    async withToken(
      api: string,
      path: string,
      json: unknown,
    ): Promise<WxBody & { image?: { contentType: string; bytes: Buffer } }> {
      try {
        return await call(api, path, { query: { access_token: await this.accessToken() }, json });
      } catch (err) {
        // 40001 / 42001: token invalid or expired before our margin; fetch a new one and retry once.
        if (!(err instanceof WechatApiError) || ![40001, 42001].includes(err.errcode)) throw err;
        token = undefined;
        return call(api, path, { query: { access_token: await this.accessToken() }, json });
      }
    },
  };
}

export type WechatClient = ReturnType<typeof createWechatClient>;
