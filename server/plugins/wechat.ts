import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createWechatClient, type WechatClient, type WechatClientOptions } from '../wechat/client';

declare module 'fastify' {
  interface FastifyInstance {
    wechat: WechatClient;
  }
}

/** The one WeChat API client of the app, pointed at WECHAT_API_BASE (the local stand-in in development). */
export default fp<WechatClientOptions>(
  async function wechat(app: FastifyInstance, opts: WechatClientOptions) {
    app.decorate('wechat', createWechatClient(opts));
  },
  { name: 'wechat' },
);
