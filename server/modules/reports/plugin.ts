import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import { DAILY, nextQuietHour } from '../jobs/runner';
import type { ModeratedItem } from '../moderation/kinds';
import { createCategories, type Categories } from './categories';
import { createFigures, reuseFigures } from './figures';
import { createLedger, type Ledger } from './ledger';
import { createRollups, ROLLUPS_JOB } from './rollups';
import type { Report } from './model';
import { AUTO_CLOSE_JOB, createReportService, DEADLINE_JOB, type ReportService } from './service';

declare module 'fastify' {
  interface FastifyInstance {
    /** The report service and the community categories, shared by the app's routes and Open311. */
    reports: {
      service: ReportService;
      categories: Categories;
      figures: ReturnType<typeof reuseFigures>;
      ledger: Ledger;
    };
  }
}

/** One report service per app (so the categories cache is one), and its scheduled jobs. */
export default fp(
  async function reports(app: FastifyInstance) {
    const categories = createCategories(app.models);
    const service = createReportService({
      connection: app.db.connection,
      models: app.models,
      access: app.access,
      categories,
      moderation: app.moderation,
      media: app.media,
      audit: app.audit,
      notifier: app.notifier,
      jobs: app.jobs,
      now: () => app.clock.now(),
      log: app.log,
    });
    app.items.define<Report & ModeratedItem>('report', {
      find: service.load,
      handles: service.handles,
      // What Open311 readers see: shared reports that moderation let through.
      isPublic: (report) => !report.private && report.moderation.state === 'visible',
    });
    app.jobs.define(DEADLINE_JOB, async ({ payload }) =>
      service.onDeadline(payload as Parameters<ReportService['onDeadline']>[0]),
    );
    app.jobs.define(AUTO_CLOSE_JOB, async ({ payload }) => service.onAutoClose(payload as { reportId: string }));
    const rollups = createRollups(app.models);
    const figures = reuseFigures(createFigures(app.models, categories, rollups), () => app.clock.now());
    app.jobs.define(ROLLUPS_JOB, async () => {
      const communities = await app.models.Node.find({ kind: 'community' }, { _id: 1 })
        .setOptions(CROSS_COMMUNITY)
        .lean();
      for (const { _id } of communities) await rollups.warm(_id, app.clock.now());
    });
    await app.jobs.ensureRecurring(ROLLUPS_JOB, DAILY, nextQuietHour(app.clock.now()));
    app.decorate('reports', { service, categories, figures, ledger: createLedger(app.models, categories) });
  },
  { name: 'reports', dependencies: ['platform'] },
);
