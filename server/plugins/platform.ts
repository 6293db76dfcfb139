import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock';
import { createAudit, type Audit } from '../modules/audit/service';
import { createJobRunner, type JobRunner } from '../modules/jobs/runner';
import { createMediaService, MEDIA_CHECK_JOB, type MediaService } from '../modules/media/service';
import { createDiskStorage, createS3Storage, type S3Options, type Storage } from '../modules/media/storage';
import { createItems, moderatedKinds, type Items } from '../modules/moderation/kinds';
import { createModeration, type Moderation } from '../modules/moderation/service';
import { createNotifier, type Notifier } from '../modules/notifications/service';
import { loadTemplates } from '../modules/notifications/templates';

export interface PlatformOptions {
  clock: Clock;
  dataDir: string;
  /** Unset: photos on local disk under the data directory. */
  s3?: S3Options;
  signingSecret: string;
  publicBaseUrl: string;
  subscribeTemplatesPath: string;
  /** Tests drive the runner by hand (`app.jobs.runDue()`); the service polls. */
  runJobs: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    clock: Clock;
    jobs: JobRunner;
    audit: Audit;
    notifier: Notifier;
    media: MediaService;
    moderation: Moderation;
    /** The item kinds and who may see each: every module registers its kind's visibility here. */
    items: Items;
    /** The file store behind photos (disk or S3); privacy keeps export archives there too. */
    files: Storage;
  }
}

/** The services every module uses: time, scheduled jobs, audit trail, notifications, photos, moderation. */
export default fp<PlatformOptions>(
  async function platform(app: FastifyInstance, opts: PlatformOptions) {
    const now = () => opts.clock.now();
    app.decorate('clock', opts.clock);
    const jobs = createJobRunner({ model: app.models.Job, clock: opts.clock, log: app.log });
    app.decorate('jobs', jobs);
    const audit = createAudit(app.models, now);
    app.decorate('audit', audit);
    const notifier = createNotifier({
      models: app.models,
      wechat: app.wechat,
      templates: loadTemplates(opts.subscribeTemplatesPath),
      log: app.log,
    });
    app.decorate('notifier', notifier);
    const items = createItems(moderatedKinds(app.models));
    app.decorate('items', items);
    const files = opts.s3 ? createS3Storage(opts.s3) : createDiskStorage(join(opts.dataDir, 'files'));
    app.decorate('files', files);
    const media = createMediaService({
      models: app.models,
      items,
      async viewer(userId) {
        const user = await app.models.User.findById(userId, { displayName: 1 }).lean();
        return user ? app.access.loadActor(user, 'media-link') : null;
      },
      storage: files,
      wechat: app.wechat,
      jobs,
      // A key of its own, derived from the app secret, so image links never double as tokens.
      signingKey: createHmac('sha256', opts.signingSecret).update('linli-media-links').digest('hex'),
      publicBaseUrl: opts.publicBaseUrl,
      now,
    });
    app.decorate('media', media);
    app.decorate(
      'moderation',
      createModeration({
        models: app.models,
        items,
        wechat: app.wechat,
        access: app.access,
        audit,
        media,
        notifier,
        now,
        log: app.log,
      }),
    );

    jobs.define(MEDIA_CHECK_JOB, async ({ payload }) => media.requestCheck(String(payload.mediaId)));
    if (opts.runJobs) {
      app.addHook('onReady', async function startJobs() {
        jobs.start();
      });
    }
    app.addHook('onClose', async function stopJobs() {
      await jobs.stop();
    });
  },
  { name: 'platform', dependencies: ['models', 'wechat', 'auth'] },
);
