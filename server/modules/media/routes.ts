import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorCode } from '../../../shared/errors';
import { Id, IdParams } from '../../../shared/schemas/ids';
import { MediaView } from '../../../shared/schemas/platform';
import { AppError } from '../../errors';
import { errorResponses } from '../../http';
import { LINK_VIEWER, type Variant } from './service';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Photo upload (multipart, streamed, one file), photo metadata, and the signed image URLs. */
export const mediaRoutes: FastifyPluginAsyncTypebox = async function mediaRoutes(app) {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 1 } });

  app.post(
    '/media',
    {
      onRequest: app.authenticate,
      bodyLimit: MAX_UPLOAD_BYTES + 64 * 1024,
      schema: {
        tags: ['media'],
        summary: 'Upload one photo (multipart field `file`; JPEG, PNG or WebP up to 10 MB)',
        description:
          'Re-encoded on the server (EXIF and GPS removed, orientation applied, display and thumbnail sizes). ' +
          'Repeating an upload with the same Idempotency-Key returns the first one.',
        security: [{ bearer: [] }],
        consumes: ['multipart/form-data'],
        headers: Type.Object({ 'idempotency-key': Type.String({ minLength: 8, maxLength: 64, pattern: '^[\\w-]+$' }) }),
        querystring: Type.Object({ communityId: Type.Optional(Id) }),
        response: { 200: MediaView, 201: MediaView, ...errorResponses },
      },
    },
    async function upload(request, reply) {
      let file;
      let bytes;
      try {
        file = await request.file();
        if (!file) throw new AppError(400, ErrorCode.IMAGE_INVALID, 'Send the photo as the multipart field `file`');
        bytes = await file.toBuffer();
      } catch (err) {
        // The multipart parser's own complaints (no boundary, a form cut short) carry no status: the client's fault.
        if ((err as { statusCode?: number }).statusCode) throw err;
        throw new AppError(400, ErrorCode.BAD_REQUEST, 'Send the photo as a well-formed multipart form');
      }
      // Past the size limit multipart stops reading and marks the file truncated: never process a part.
      if (file.file.truncated) throw new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, 'Photos may be at most 10 MB');
      const { created, media } = await app.media.upload(request.actor, bytes, {
        idempotencyKey: request.headers['idempotency-key'],
        communityId: request.query.communityId,
      });
      return reply.status(created ? 201 : 200).send(media);
    },
  );

  app.get(
    '/media/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['media'],
        summary: 'A photo as the caller may see it now: 404 unless they may see its item; no URL until it may be shown',
        security: [{ bearer: [] }],
        params: IdParams,
        response: { 200: MediaView, ...errorResponses },
      },
    },
    async function getMedia(request) {
      return app.media.get(request.actor, request.params.id);
    },
  );

  app.get(
    '/media/:id/:variant',
    {
      schema: {
        tags: ['media'],
        summary: 'The image of a signed photo URL (as handed out in MediaView)',
        params: Type.Object({ id: Id, variant: Type.Union([Type.Literal('display'), Type.Literal('thumb')]) }),
        querystring: Type.Object({
          v: Type.Integer({ minimum: 1 }),
          exp: Type.Integer(),
          viewer: Type.String({ pattern: LINK_VIEWER }),
          sig: Type.String({ maxLength: 64 }),
        }),
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          304: Type.Null(),
          ...errorResponses,
        },
      },
    },
    async function image(request, reply) {
      const { body, etag } = await app.media.open(request.params.id, request.params.variant as Variant, request.query);
      reply
        .header('etag', etag)
        // Short, so a photo whose item was hidden since does not linger in caches.
        .header('cache-control', 'private, max-age=600')
        .header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      return reply.type('image/jpeg').send(body);
    },
  );
};
