import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ModeratedItem } from '../moderation/kinds';
import { createPlaceNames } from '../places/service';
import { createActivities, type Activities } from './activities';
import { ACCEPT_TIMEOUT_JOB, createDispatch, type Dispatch } from './dispatch';
import { createFeedback, type Feedback } from './feedback';
import { createVolunteerFigures } from './figures';
import { createLedger, type Ledger } from './ledger';
import type { VolunteerOrder } from './model';
import { createOrders, type Orders } from './orders';
import { createRegistration, type Registration } from './registration';
import { createVolunteerSettings, type VolunteerSettingsService } from './settings';
import { createVisits, type Visits } from './visits';

declare module 'fastify' {
  interface FastifyInstance {
    /** Volunteer order-taking: each concern its own service, sharing the order primitive and the ledger. */
    volunteers: {
      registration: Registration;
      orders: Orders;
      dispatch: Dispatch;
      visits: Visits;
      feedback: Feedback;
      ledger: Ledger;
      activities: Activities;
      figures: ReturnType<typeof createVolunteerFigures>;
      settings: VolunteerSettingsService;
    };
  }
}

export default fp(
  async function volunteers(app: FastifyInstance) {
    const now = () => app.clock.now();
    const { models, access, audit, notifier, moderation, media, jobs } = app;
    const connection = app.db.connection;
    const nodeRefs = createPlaceNames(models);
    const ledger = createLedger({ models, now });
    const registration = createRegistration({
      connection,
      models,
      access,
      ledger,
      moderation,
      audit,
      notifier,
      actors: app.actors,
    });
    const orders = createOrders({ connection, models, access, nodeRefs, moderation, media, audit, notifier, now });
    app.items.define<VolunteerOrder & ModeratedItem>('order', { find: orders.load, handles: orders.handles });
    const settings = createVolunteerSettings({ models, access });
    const dispatch = createDispatch({
      models,
      orders,
      jobs,
      now,
      acceptTimeoutMinutes: async (communityId) => (await settings.of(communityId)).acceptTimeoutMinutes,
    });
    app.jobs.define(ACCEPT_TIMEOUT_JOB, async ({ payload }) =>
      dispatch.onTimeout(payload as Parameters<Dispatch['onTimeout']>[0]),
    );
    app.decorate('volunteers', {
      registration,
      orders,
      dispatch,
      visits: createVisits({ models, orders, ledger, now }),
      feedback: createFeedback({ connection, models, orders, ledger, moderation, audit, jobs }),
      ledger,
      activities: createActivities({
        connection,
        models,
        access,
        nodeRefs,
        registration,
        ledger,
        moderation,
        audit,
        notifier,
        now,
      }),
      figures: createVolunteerFigures(models),
      settings,
    });
  },
  { name: 'volunteers', dependencies: ['platform'] },
);
