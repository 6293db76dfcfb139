import type { FastifyInstance } from 'fastify';

/**
 * What the modules of user items (deliberation, wishes, boards) take from the app: the database, access,
 * moderation, photos, audit, notifications, jobs and the clock. Each module's factory picks the parts it uses.
 */
export function itemModuleDeps(app: FastifyInstance) {
  return {
    connection: app.db.connection,
    models: app.models,
    access: app.access,
    moderation: app.moderation,
    media: app.media,
    audit: app.audit,
    notifier: app.notifier,
    jobs: app.jobs,
    now: () => app.clock.now(),
  };
}
