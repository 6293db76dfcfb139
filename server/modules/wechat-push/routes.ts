import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ForbiddenError } from '../../errors';
import { errorResponses } from '../../http';
import { pushSignature } from '../../wechat/push-signature';
import type { ModeratedKind } from '../moderation/kinds';

const SignedQuery = Type.Object(
  {
    signature: Type.String({ maxLength: 64 }),
    timestamp: Type.String({ maxLength: 16 }),
    nonce: Type.String({ maxLength: 64 }),
    echostr: Type.Optional(Type.String({ maxLength: 200 })),
    // WeChat adds arguments of its own (openid, encrypt_type, msg_signature…) that the signature does not cover.
  },
  { additionalProperties: true },
);

/**
 * WeChat's message push (configured in the WeChat console in JSON mode, plaintext): URL verification and
 * the asynchronous media-check verdict (event wxa_media_check). Every call must carry WeChat's signature.
 */
export const wechatPushRoutes: FastifyPluginAsyncTypebox<{ token: string; kinds: Record<string, ModeratedKind> }> =
  async function wechatPushRoutes(app, opts) {
    function verify(query: { signature: string; timestamp: string; nonce: string }): void {
      const expected = Buffer.from(pushSignature(opts.token, query.timestamp, query.nonce));
      const given = Buffer.from(query.signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new ForbiddenError('Bad WeChat push signature');
    }

    app.get(
      '/wechat/push',
      {
        schema: {
          tags: ['wechat'],
          summary: 'Push URL verification (answers echostr)',
          querystring: SignedQuery,
          response: { 200: Type.String(), ...errorResponses },
        },
      },
      async function verifyUrl(request, reply) {
        verify(request.query);
        return reply.type('text/plain').send(request.query.echostr ?? '');
      },
    );

    app.post(
      '/wechat/push',
      {
        schema: {
          tags: ['wechat'],
          summary: 'Message push from WeChat (JSON): media check verdicts',
          querystring: SignedQuery,
          body: Type.Object(
            {
              Event: Type.Optional(Type.String()),
              trace_id: Type.Optional(Type.String()),
              result: Type.Optional(Type.Object({ suggest: Type.String() }, { additionalProperties: true })),
            },
            // WeChat's events carry many fields (ToUserName, CreateTime, appid, version, detail…); we read these.
            { additionalProperties: true },
          ),
          response: { 200: Type.String(), ...errorResponses },
        },
      },
      async function push(request, reply) {
        verify(request.query);
        const { Event, trace_id: traceId, result } = request.body;
        if (Event === 'wxa_media_check' && traceId && result) {
          const media = await app.media.recordVerdict(traceId, result.suggest);
          // A photo that needs a look, or that WeChat refused, puts its item in the staff queue.
          const kind = media?.attachedTo?.kind;
          if (media && kind && media.attachedTo?.itemId && opts.kinds[kind] && media.check.status !== 'pass') {
            await app.moderation.openCase(
              kind,
              { _id: media.attachedTo.itemId, communityId: media.communityId },
              media.check.status === 'risky' ? 'media-risky' : 'media-review',
            );
          }
        }
        // WeChat wants a plain `success`, or it retries.
        return reply.type('text/plain').send('success');
      },
    );
  };
