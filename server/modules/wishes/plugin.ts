import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { itemModuleDeps } from '../item-deps';
import type { ModeratedItem } from '../moderation/kinds';
import { createPlaceNames } from '../places/service';
import { createClaims, LAPSE_JOB, type Claims } from './claims';
import { createWishCore, type WishCore, type WishDeps } from './context';
import { createWishFigures, type WishFiguresService } from './figures';
import { AUTO_CONFIRM_JOB, createFulfilment, type Fulfilment } from './fulfilment';
import { createWishLists, type WishLists } from './lists';
import { createWishMessages, type WishMessages } from './messages';
import type { Wish } from './model';
import { createOrganisations, type Organisations } from './organisations';
import { createPosting, type Posting } from './posting';
import { createWishViews, type WishViews } from './view';

declare module 'fastify' {
  interface FastifyInstance {
    /** Micro-wishes (微心愿): each concern its own service, sharing the wish primitive and its views. */
    wishes: {
      core: WishCore;
      views: WishViews;
      posting: Posting;
      claims: Claims;
      fulfilment: Fulfilment;
      lists: WishLists;
      messages: WishMessages;
      organisations: Organisations;
      figures: WishFiguresService;
    };
  }
}

export default fp(
  async function wishes(app: FastifyInstance) {
    const deps: WishDeps = {
      ...itemModuleDeps(app),
      nodeRefs: createPlaceNames(app.models),
    };
    const core = createWishCore(deps);
    const views = createWishViews(deps, core);
    const claims = createClaims(deps, core, views);
    const fulfilment = createFulfilment(deps, core, views);
    app.items.define<Wish & ModeratedItem>('wish', {
      find: core.load,
      // Staff see a wish's photos (and the proof) before WeChat's check; everyone else once it passed.
      handles: (actor, wish) => core.isStaff(actor, wish),
      // No `isPublic`: wishes are about vulnerable neighbours and stay inside their community (no Open311 reader).
    });
    app.jobs.define(LAPSE_JOB, async ({ payload }) => claims.onLapse(payload as Parameters<Claims['onLapse']>[0]));
    app.jobs.define(AUTO_CONFIRM_JOB, async ({ payload }) =>
      fulfilment.onAutoConfirm(payload as Parameters<Fulfilment['onAutoConfirm']>[0]),
    );
    app.decorate('wishes', {
      core,
      views,
      posting: createPosting(deps, core, views),
      claims,
      fulfilment,
      lists: createWishLists(deps, views),
      messages: createWishMessages(deps, core),
      organisations: createOrganisations(deps),
      figures: createWishFigures(app.models),
    });
  },
  { name: 'wishes', dependencies: ['platform'] },
);
