import { createHmac, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import type { CheckStatus, MediaView } from '../../../shared/schemas/platform';
import { CROSS_COMMUNITY, inScope } from '../../data/tenant-scope';
import { AppError, ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { WechatClient } from '../../wechat/client';
import type { JobRunner } from '../jobs/runner';
import type { Actor } from '../roles/access';
import { processImage, redactImage, UnsupportedImageError } from './images';
import type { Media } from './model';
import type { Storage } from './storage';

export type Variant = 'display' | 'thumb';
/**
 * Who a signed URL was issued for. `all`: anyone who may see the item — served once WeChat passed it.
 * `owner`: its author — served unless risky. `staff`: moderators — always. `check`: WeChat's downloader.
 */
export type Audience = 'all' | 'owner' | 'staff' | 'check';

const DAY_S = 86_400;

/** A failure WeChat's media check answered that should be retried later (quota, busy, unreachable). */
export const MEDIA_CHECK_JOB = 'media.check';

export function createMediaService(deps: {
  models: Pick<Models, 'Media' | 'User'>;
  storage: Storage;
  wechat: Pick<WechatClient, 'mediaCheckAsync'>;
  jobs: Pick<JobRunner, 'schedule'>;
  signingKey: string;
  publicBaseUrl: string;
  now: () => Date;
}) {
  const { models, storage } = deps;

  function sign(id: string, version: number, variant: Variant, exp: number, aud: Audience): string {
    return createHmac('sha256', deps.signingKey)
      .update(`${id}.${version}.${variant}.${exp}.${aud}`)
      .digest('base64url')
      .slice(0, 32);
  }

  /** URLs stay the same for a day, so the mini-program and proxies can cache them. */
  function signedPath(media: Pick<Media, '_id' | 'version'>, variant: Variant, aud: Audience): string {
    const nowS = Math.floor(deps.now().getTime() / 1000);
    const exp = aud === 'check' ? nowS + 3600 : (Math.floor(nowS / DAY_S) + 2) * DAY_S;
    const id = String(media._id);
    return `/api/media/${id}/${variant}?v=${media.version}&exp=${exp}&aud=${aud}&sig=${sign(id, media.version, variant, exp, aud)}`;
  }

  function view(media: Media, aud: Audience | null): MediaView {
    return {
      id: String(media._id),
      width: media.width,
      height: media.height,
      checkStatus: media.check.status as CheckStatus,
      url: aud ? signedPath(media, 'display', aud) : null,
      thumbUrl: aud ? signedPath(media, 'thumb', aud) : null,
    };
  }

  /** Which URL audience a viewer gets for a photo now, or null when they may not see it (yet). */
  function audienceFor(actor: Actor, media: Media, staff: boolean): Audience | null {
    if (staff) return 'staff';
    const status = media.check.status;
    if (media.ownerId.equals(actor.userId)) return status === 'risky' ? null : 'owner';
    return status === 'pass' ? 'all' : null;
  }

  /** Stores a photo; `created` is false when this Idempotency-Key was already uploaded (a retry). */
  async function upload(
    actor: Actor,
    file: Buffer,
    opts: { idempotencyKey: string; communityId?: string },
  ): Promise<{ created: boolean; media: MediaView }> {
    const existing = await models.Media.findOne({
      ...inScope(actor.scope),
      ownerId: actor.userId,
      idempotencyKey: opts.idempotencyKey,
    }).lean<Media>();
    if (existing) return { created: false, media: view(existing, 'owner') };
    const communityId = opts.communityId
      ? actor.scope.communityIds.find((c) => c.equals(opts.communityId!))
      : actor.scope.communityIds[0];
    if (!communityId) throw new ForbiddenError('Join a community before uploading photos', ErrorCode.NOT_IN_COMMUNITY);
    let image;
    try {
      image = await processImage(file);
    } catch (err) {
      if (err instanceof UnsupportedImageError) {
        throw new AppError(415, ErrorCode.IMAGE_INVALID, 'Upload a JPEG, PNG or WebP photo');
      }
      throw err;
    }
    const _id = new Types.ObjectId();
    const keys = {
      display: `media/${image.hash.slice(0, 2)}/${_id}-v1-display.jpg`,
      thumb: `media/${image.hash.slice(0, 2)}/${_id}-v1-thumb.jpg`,
    };
    await Promise.all([
      storage.put(keys.display, image.display, 'image/jpeg'),
      storage.put(keys.thumb, image.thumb, 'image/jpeg'),
    ]);
    try {
      const created = await models.Media.create({
        _id,
        communityId,
        ownerId: actor.userId,
        idempotencyKey: opts.idempotencyKey,
        hash: image.hash,
        width: image.width,
        height: image.height,
        bytes: image.display.length,
        keys,
      });
      await deps.jobs.schedule(MEDIA_CHECK_JOB, `${MEDIA_CHECK_JOB}:${_id}`, deps.now(), { mediaId: String(_id) });
      return { created: true, media: view(created.toObject<Media>(), 'owner') };
    } catch (err) {
      await Promise.all([storage.remove(keys.display), storage.remove(keys.thumb)]);
      if ((err as { code?: number }).code !== 11000) throw err;
      // The same upload raced in twice: answer with the one that won.
      const winner = await models.Media.findOne({
        communityId,
        ownerId: actor.userId,
        idempotencyKey: opts.idempotencyKey,
      }).lean<Media>();
      return { created: false, media: view(winner!, 'owner') };
    }
  }

  /** Asks WeChat to check a photo; run by the job runner, which retries with backoff on failure. */
  async function requestCheck(mediaId: string): Promise<void> {
    // Run by the job runner for the system, not for a person: the job names the photo.
    const media = await models.Media.findOne({ _id: mediaId }).setOptions(CROSS_COMMUNITY).lean<Media>();
    if (!media || media.check.status !== 'checking') return;
    const owner = await models.User.findById(media.ownerId, { openid: 1 }).lean();
    const traceId = await deps.wechat.mediaCheckAsync({
      openid: owner!.openid,
      scene: 3,
      mediaUrl: `${deps.publicBaseUrl}${signedPath(media, 'display', 'check')}`,
    });
    await models.Media.updateOne(
      { _id: media._id, communityId: media.communityId },
      { $set: { 'check.traceId': traceId } },
    );
  }

  /** Records WeChat's verdict; returns the photo so callers can queue its item for staff. */
  async function recordVerdict(traceId: string, suggest: string): Promise<Media | null> {
    const status: CheckStatus = suggest === 'pass' ? 'pass' : suggest === 'risky' ? 'risky' : 'review';
    // WeChat's signed push names the photo by its trace id.
    return models.Media.findOneAndUpdate(
      { 'check.traceId': traceId },
      { $set: { 'check.status': status, 'check.checkedAt': deps.now() } },
      { returnDocument: 'after' },
    )
      .setOptions(CROSS_COMMUNITY)
      .lean<Media>();
  }

  async function views(
    actor: Actor,
    ids: (string | Types.ObjectId)[],
    opts: { audience?: 'staff' } = {},
  ): Promise<MediaView[]> {
    if (ids.length === 0) return [];
    const found = await models.Media.find({ _id: { $in: ids }, ...inScope(actor.scope) }).lean<Media[]>();
    return ids.flatMap((id) => {
      const media = found.find((m) => m._id.equals(id));
      return media ? [view(media, audienceFor(actor, media, opts.audience === 'staff'))] : [];
    });
  }

  /** Ties the actor's uploaded photos to an item; each must be theirs, in that community, and not risky. */
  async function attach(
    actor: Actor,
    ids: string[],
    to: { kind: string; itemId: Types.ObjectId; communityId: Types.ObjectId },
  ): Promise<Types.ObjectId[]> {
    const unique = [...new Set(ids)];
    const result = await models.Media.updateMany(
      { _id: { $in: unique }, communityId: to.communityId, ownerId: actor.userId, 'check.status': { $ne: 'risky' } },
      { $set: { attachedTo: { kind: to.kind, itemId: to.itemId } } },
    );
    if (result.matchedCount !== unique.length) throw new NotFoundError('A photo was not found among your uploads');
    return unique.map((id) => new Types.ObjectId(id));
  }

  async function redact(
    actor: Actor,
    mediaId: string,
    rects: { x: number; y: number; width: number; height: number }[],
  ): Promise<void> {
    const media = await models.Media.findOne({ _id: mediaId, ...inScope(actor.scope) }).lean<Media>();
    if (!media) throw new NotFoundError('No such photo');
    const redacted = await redactImage(await storage.get(media.keys.display), rects);
    const version = media.version + 1;
    const keys = {
      display: media.keys.display.replace(/-v\d+-/, `-v${version}-`),
      thumb: media.keys.thumb.replace(/-v\d+-/, `-v${version}-`),
    };
    await Promise.all([
      storage.put(keys.display, redacted.display, 'image/jpeg'),
      storage.put(keys.thumb, redacted.thumb, 'image/jpeg'),
    ]);
    await models.Media.updateOne(
      { _id: media._id, communityId: media.communityId, version: media.version },
      { $set: { keys, version } },
    );
    // The unredacted image is gone for good.
    await Promise.all([storage.remove(media.keys.display), storage.remove(media.keys.thumb)]);
  }

  /**
   * Serves a variant for a signed URL, applying the audience rule to the photo's state now. A link to an
   * earlier version (before staff redacted the photo) no longer works.
   */
  async function open(
    id: string,
    variant: Variant,
    query: { v: number; exp: number; aud: Audience; sig: string },
  ): Promise<{ body: Buffer; etag: string }> {
    const expected = Buffer.from(sign(id, query.v, variant, query.exp, query.aud));
    const given = Buffer.from(query.sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new ForbiddenError('Bad image signature');
    if (query.exp * 1000 < deps.now().getTime()) throw new ForbiddenError('This image link expired; reload the page');
    // The signature is the authority here: it was issued to someone allowed to see the photo.
    const media = Types.ObjectId.isValid(id)
      ? await models.Media.findOne({ _id: id }).setOptions(CROSS_COMMUNITY).lean<Media>()
      : null;
    if (!media || media.version !== query.v) throw new NotFoundError('No such photo');
    const status = media.check.status;
    const allowed =
      query.aud === 'staff' ||
      query.aud === 'check' ||
      (query.aud === 'owner' ? status !== 'risky' : status === 'pass');
    if (!allowed) throw new NotFoundError('This photo is not available');
    return {
      body: await storage.get(media.keys[variant]),
      etag: `"${media.hash.slice(0, 16)}-${media.version}-${variant}"`,
    };
  }

  return { upload, requestCheck, recordVerdict, views, attach, redact, open };
}
export type MediaService = ReturnType<typeof createMediaService>;
