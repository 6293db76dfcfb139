import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import type { CheckStatus, MediaView } from '../../../shared/schemas/platform';
import { CROSS_COMMUNITY, inScope } from '../../data/tenant-scope';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { WechatClient } from '../../wechat/client';
import type { JobRunner } from '../jobs/runner';
import type { Actor } from '../roles/access';
import type { Items } from '../moderation/kinds';
import { ImageError, processImage, redactImage } from './images';
import type { Media } from './model';
import type { Storage } from './storage';

export type Variant = 'display' | 'thumb';
/**
 * Whom a signed URL was issued to: a person (the user id; whether they may still see the photo is decided
 * again when the URL is fetched), `public` (anyone: a public item's photo, for Open311 readers) or `check`
 * (WeChat's downloader, for the content check).
 */
export type LinkViewer = string;
export const LINK_VIEWER = '^([0-9a-f]{24}|public|check)$';

/**
 * What a person is to a photo: `handling` (staff and the handlers of its item: always served), `owner` (its
 * uploader: served unless WeChat found it risky), `viewer` (anyone else who may see the item: served once
 * WeChat passed it).
 */
type Standing = 'handling' | 'owner' | 'viewer';
const SERVED: Record<Standing, (status: CheckStatus) => boolean> = {
  handling: () => true,
  owner: (status) => status !== 'risky',
  viewer: (status) => status === 'pass',
};

/** Links live one to two hours (stable within the hour, so clients and proxies can cache them). */
const LINK_HOUR_S = 3_600;

/** A failure WeChat's media check answered that should be retried later (quota, busy, unreachable). */
export const MEDIA_CHECK_JOB = 'media.check';

/** Each way an upload fails to be a photo, as the client is told: deterministic, never a 5xx. */
const IMAGE_ERRORS: Record<ImageError['reason'], () => AppError> = {
  format: () => new AppError(415, ErrorCode.IMAGE_INVALID, 'Upload a JPEG, PNG or WebP photo'),
  pixels: () => new AppError(413, ErrorCode.IMAGE_TOO_LARGE, 'The photo has too many pixels; send a smaller one'),
  corrupt: () => new AppError(422, ErrorCode.IMAGE_INVALID, 'The photo is damaged or incomplete; send it again'),
};

export function createMediaService(deps: {
  models: Pick<Models, 'Media' | 'User'>;
  storage: Storage;
  wechat: Pick<WechatClient, 'mediaCheckAsync'>;
  jobs: Pick<JobRunner, 'schedule'>;
  /** Who may see the item a photo belongs to: asked on every fetch, not only when a link is made. */
  items: Pick<Items, 'seen' | 'publicItem'>;
  /** The person a link was issued to, as they are now (null once they are gone). */
  viewer: (userId: string) => Promise<Actor | null>;
  signingKey: string;
  publicBaseUrl: string;
  now: () => Date;
}) {
  const { models, storage } = deps;

  function sign(id: string, version: number, variant: Variant, exp: number, viewer: LinkViewer): string {
    return createHmac('sha256', deps.signingKey)
      .update(`${id}.${version}.${variant}.${exp}.${viewer}`)
      .digest('base64url')
      .slice(0, 32);
  }

  function signedPath(media: Pick<Media, '_id' | 'version'>, variant: Variant, viewer: LinkViewer): string {
    const nowS = Math.floor(deps.now().getTime() / 1000);
    const exp = viewer === 'check' ? nowS + LINK_HOUR_S : (Math.floor(nowS / LINK_HOUR_S) + 2) * LINK_HOUR_S;
    const id = String(media._id);
    const sig = sign(id, media.version, variant, exp, viewer);
    return `/api/media/${id}/${variant}?v=${media.version}&exp=${exp}&viewer=${viewer}&sig=${sig}`;
  }

  function view(media: Media, viewer: LinkViewer | null): MediaView {
    return {
      id: String(media._id),
      width: media.width,
      height: media.height,
      checkStatus: media.check.status as CheckStatus,
      url: viewer ? signedPath(media, 'display', viewer) : null,
      thumbUrl: viewer ? signedPath(media, 'thumb', viewer) : null,
    };
  }

  /**
   * What the actor is to the photo now, or null when they may not see it: a photo not yet part of an item
   * is its uploader's alone; an attached one follows the visibility of its item.
   */
  async function standingOf(actor: Actor, media: Media): Promise<Standing | null> {
    const owner = media.ownerId.equals(actor.userId);
    const { kind, itemId } = media.attachedTo ?? {};
    if (!kind || !itemId) return owner ? 'owner' : null;
    try {
      const { handling } = await deps.items.seen(actor, kind, itemId);
      return handling ? 'handling' : owner ? 'owner' : 'viewer';
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof ForbiddenError) return null;
      throw err;
    }
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
    if (existing) return { created: false, media: view(existing, String(actor.userId)) };
    const communityId = opts.communityId
      ? actor.scope.communityIds.find((c) => c.equals(opts.communityId!))
      : actor.scope.communityIds[0];
    if (!communityId) throw new ForbiddenError('Join a community before uploading photos', ErrorCode.NOT_IN_COMMUNITY);
    let image;
    try {
      image = await processImage(file);
    } catch (err) {
      if (err instanceof ImageError) throw IMAGE_ERRORS[err.reason]();
      throw err;
    }
    // Random, not time-and-counter: a photo's id must not lead to its neighbours' ids.
    const _id = new Types.ObjectId(randomBytes(12));
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
      return { created: true, media: view(created.toObject<Media>(), String(actor.userId)) };
    } catch (err) {
      await Promise.all([storage.remove(keys.display), storage.remove(keys.thumb)]);
      if ((err as { code?: number }).code !== 11000) throw err;
      // The same upload raced in twice: answer with the one that won.
      const winner = await models.Media.findOne({
        communityId,
        ownerId: actor.userId,
        idempotencyKey: opts.idempotencyKey,
      }).lean<Media>();
      return { created: false, media: view(winner!, String(actor.userId)) };
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

  /**
   * Views of photos of an item the caller has already found the actor may see (a list or a page of items
   * goes through the item's visibility rule first). Each link is issued to the actor; fetching it asks the
   * item's rule again. `standing: 'handling'` for staff and handlers, `'public'` for public readers.
   */
  async function views(
    actor: Actor,
    ids: (string | Types.ObjectId)[],
    opts: { standing?: 'handling' | 'public' } = {},
  ): Promise<MediaView[]> {
    return viewsOf(actor, await find(actor, ids), ids, opts);
  }

  /** The photos' records in the actor's communities by id, for `viewsOf` (a page of items reads them once). */
  async function find(actor: Actor, ids: (string | Types.ObjectId)[]): Promise<Map<string, Media>> {
    const found =
      ids.length === 0 ? [] : await models.Media.find({ _id: { $in: ids }, ...inScope(actor.scope) }).lean<Media[]>();
    return new Map(found.map((m) => [String(m._id), m]));
  }

  /** `views` of photos whose records were read already (by `find`, for the same actor's communities). */
  function viewsOf(
    actor: Actor,
    found: ReadonlyMap<string, Media>,
    ids: (string | Types.ObjectId)[],
    opts: { standing?: 'handling' | 'public' } = {},
  ): MediaView[] {
    return ids.flatMap((id) => {
      const media = found.get(String(id));
      if (!media) return [];
      const status = media.check.status as CheckStatus;
      if (opts.standing === 'public') return [view(media, SERVED.viewer(status) ? 'public' : null)];
      const standing = opts.standing ?? (media.ownerId.equals(actor.userId) ? 'owner' : 'viewer');
      return [view(media, SERVED[standing](status) ? String(actor.userId) : null)];
    });
  }

  /** One photo as the actor may see it now (GET /media/:id): 404 unless they may see its item. */
  async function get(actor: Actor, id: string): Promise<MediaView> {
    const media = Types.ObjectId.isValid(id)
      ? await models.Media.findOne({ _id: id, ...inScope(actor.scope) }).lean<Media>()
      : null;
    const standing = media ? await standingOf(actor, media) : null;
    if (!media || !standing) throw new NotFoundError('No such photo');
    return view(media, SERVED[standing](media.check.status as CheckStatus) ? String(actor.userId) : null);
  }

  /**
   * Ties the actor's uploaded photos to an item. Each must be theirs, in that community and not risky (else
   * 404), and part of no other item (else 409): a photo belongs to exactly one item.
   */
  async function attach(
    actor: Actor,
    ids: string[],
    to: { kind: string; itemId: Types.ObjectId; communityId: Types.ObjectId },
  ): Promise<Types.ObjectId[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const mine = { _id: { $in: unique }, communityId: to.communityId, ownerId: actor.userId };
    const found = await models.Media.find({ ...mine, 'check.status': { $ne: 'risky' } }, { attachedTo: 1 }).lean<
      Media[]
    >();
    if (found.length !== unique.length) throw new NotFoundError('A photo was not found among your uploads');
    const elsewhere = (m: Media) => m.attachedTo?.itemId && !m.attachedTo.itemId.equals(to.itemId);
    const taken = () => new ConflictError('A photo is already part of another post', ErrorCode.MEDIA_ATTACHED);
    if (found.some(elsewhere)) throw taken();
    const free = found.filter((m) => !m.attachedTo?.itemId).map((m) => m._id);
    // One conditional update per photo (at most three), so of two items taking one photo at once exactly one
    // wins, and a loser gives back just the photos it took. A retry of the same item racing its first try
    // finds them taken by that same item, which is no conflict.
    const took = await Promise.all(
      free.map(async (_id) => {
        const result = await models.Media.updateOne(
          { ...mine, _id, 'attachedTo.itemId': null },
          { $set: { attachedTo: { kind: to.kind, itemId: to.itemId } } },
        );
        return result.modifiedCount === 1 ? _id : null;
      }),
    );
    const lost = free.filter((_id, i) => !took[i]);
    if (lost.length > 0) {
      const now = await models.Media.find({ ...mine, _id: { $in: lost } }, { attachedTo: 1 }).lean<Media[]>();
      if (now.some(elsewhere)) {
        await detach(
          to,
          took.filter((id): id is Types.ObjectId => id !== null),
        );
        throw taken();
      }
    }
    return unique.map((id) => new Types.ObjectId(id));
  }

  /**
   * Attaches the photos to an item, then stores the item with `store`. If storing fails, the photos are free
   * again for the next try — unless it failed as a duplicate (11000): then the same item is stored already and
   * holds them.
   */
  async function attachFor<T>(
    actor: Actor,
    ids: string[],
    to: { kind: string; itemId: Types.ObjectId; communityId: Types.ObjectId },
    store: (mediaIds: Types.ObjectId[]) => Promise<T>,
  ): Promise<T> {
    const mediaIds = await attach(actor, ids, to);
    try {
      return await store(mediaIds);
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) await detach(to);
      throw err;
    }
  }

  /** Frees the photos an item took (all of them, or those named) when the item was not stored after all. */
  async function detach(
    from: { itemId: Types.ObjectId; communityId: Types.ObjectId },
    ids?: Types.ObjectId[],
  ): Promise<void> {
    await models.Media.updateMany(
      { communityId: from.communityId, 'attachedTo.itemId': from.itemId, ...(ids ? { _id: { $in: ids } } : {}) },
      { $unset: { attachedTo: 1 } },
    );
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

  /** May whoever the link was issued to have this photo now? */
  async function linkAllows(viewer: LinkViewer, media: Media): Promise<boolean> {
    if (viewer === 'check') return true;
    const status = media.check.status as CheckStatus;
    if (viewer === 'public') {
      const { kind, itemId } = media.attachedTo ?? {};
      return !!kind && !!itemId && SERVED.viewer(status) && !!(await deps.items.publicItem(kind, itemId));
    }
    const actor = await deps.viewer(viewer);
    const standing = actor ? await standingOf(actor, media) : null;
    return !!standing && SERVED[standing](status);
  }

  /**
   * Serves a variant for a signed URL. The signature only says whom the link was issued to; whether that
   * person may see the photo is decided now, from its item's visibility and WeChat's verdict, so a link stops
   * working when its item is hidden, made private, deleted, or the photo redacted (a new version).
   */
  async function open(
    id: string,
    variant: Variant,
    query: { v: number; exp: number; viewer: LinkViewer; sig: string },
  ): Promise<{ body: Buffer; etag: string }> {
    const expected = Buffer.from(sign(id, query.v, variant, query.exp, query.viewer));
    const given = Buffer.from(query.sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new ForbiddenError('Bad image signature');
    if (query.exp * 1000 < deps.now().getTime()) throw new ForbiddenError('This image link expired; reload the page');
    // A link names no community: the signed id is what names the photo.
    const media = Types.ObjectId.isValid(id)
      ? await models.Media.findOne({ _id: id }).setOptions(CROSS_COMMUNITY).lean<Media>()
      : null;
    if (!media || media.version !== query.v || !(await linkAllows(query.viewer, media)))
      throw new NotFoundError('This photo is not available');
    return {
      body: await storage.get(media.keys[variant]),
      etag: `"${media.hash.slice(0, 16)}-${media.version}-${variant}"`,
    };
  }

  return { upload, requestCheck, recordVerdict, views, find, viewsOf, get, attach, attachFor, redact, open };
}
export type MediaService = ReturnType<typeof createMediaService>;
