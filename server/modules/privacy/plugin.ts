import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createConsents, type Consents } from './consents';
import { createDeletion, type Deletion } from './deletion';
import { createExports, EXPORT_EXPIRY_JOB, EXPORT_JOB, type Exports } from './export';
import { DAILY, nextQuietHour } from '../jobs/runner';
import { createRetention, RETENTION_JOB } from './retention';

export interface PrivacyOptions {
  /** Closed reports older than this lose their photos and personal fields (LINLI_REPORT_RETENTION_YEARS). */
  retentionYears: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    privacy: {
      consents: Consents;
      exports: Exports;
      deletion: Deletion;
      retention: ReturnType<typeof createRetention>;
      retentionYears: number;
    };
  }
}

/** Consents, data export, account deletion and the retention job (PIPL Arts. 25, 45, 47, 19). */
export default fp<PrivacyOptions>(
  async function privacy(app: FastifyInstance, opts: PrivacyOptions) {
    const now = () => app.clock.now();
    const consents = createConsents({ models: app.models, audit: app.audit, connection: app.db.connection, now });
    const deletion = createDeletion({
      models: app.models,
      connection: app.db.connection,
      files: app.files,
      consents,
      audit: app.audit,
      actors: app.actors,
      now,
    });
    const exports = createExports({ models: app.models, files: app.files, jobs: app.jobs, now });
    const retention = createRetention({
      models: app.models,
      connection: app.db.connection,
      deletion,
      years: opts.retentionYears,
      now,
    });
    app.jobs.define(EXPORT_JOB, async ({ payload }) => exports.build(String(payload.exportId)));
    app.jobs.define(EXPORT_EXPIRY_JOB, async ({ payload }) => exports.expire(String(payload.exportId)));
    app.jobs.define(RETENTION_JOB, async () => {
      await retention.purge();
    });
    await app.jobs.ensureRecurring(RETENTION_JOB, DAILY, nextQuietHour(now()));
    app.decorate('privacy', { consents, exports, deletion, retention, retentionYears: opts.retentionYears });
  },
  { name: 'privacy', dependencies: ['platform'] },
);
