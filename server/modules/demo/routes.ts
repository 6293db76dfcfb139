import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorCode } from '../../../shared/errors';
import { DemoCode, DemoCodeBody, DemoUser } from '../../../shared/schemas/people';
import { AppError, NotFoundError, ServiceUnavailableError } from '../../errors';
import { errorResponses } from '../../http';
import { demoUsers } from './data';

/**
 * Development only (registered when the app talks to the WeChat stand-in): pick a demo user and get a
 * one-time login code for them from the stand-in, as `wx.login` would give on a phone. The code then
 * goes through the ordinary POST /auth/login.
 */
export const demoRoutes: FastifyPluginAsyncTypebox<{ wechatApiBase: string }> = async function demoRoutes(app, opts) {
  app.get(
    '/dev/demo-users',
    {
      schema: {
        tags: ['dev'],
        summary: 'Demo users to log in as (development only)',
        response: { 200: Type.Array(DemoUser), ...errorResponses },
      },
    },
    async function listDemoUsers() {
      return demoUsers.map(({ key, displayName, description }) => ({ key, displayName, description }));
    },
  );

  app.post(
    '/dev/demo-code',
    {
      schema: {
        tags: ['dev'],
        summary: 'A one-time login code for a demo user (development only)',
        body: DemoCodeBody,
        response: { 200: DemoCode, ...errorResponses },
      },
    },
    async function demoCode(request) {
      if (!demoUsers.some((u) => u.key === request.body.key)) throw new NotFoundError('No such demo user');
      let response: Response;
      try {
        response = await fetch(`${opts.wechatApiBase}/linli-dev/mint-code`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ openid: `demo-${request.body.key}` }),
          signal: AbortSignal.timeout(5000),
        });
      } catch {
        throw new ServiceUnavailableError('The WeChat stand-in is not reachable', ErrorCode.WECHAT_UNAVAILABLE);
      }
      if (!response.ok)
        throw new AppError(503, ErrorCode.DEMO_LOGIN_DISABLED, 'The WeChat API in use cannot mint demo codes');
      return { code: String(((await response.json()) as { code: string }).code) };
    },
  );
};
