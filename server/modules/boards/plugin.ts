import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { itemModuleDeps } from '../item-deps';
import { createPublisher } from '../deliberation/publish';
import type { ModeratedItem } from '../moderation/kinds';
import { createBoards, type Boards } from './board';
import { createBoardCore, type BoardCore, type BoardDeps } from './context';
import { createBoardFigures, type BoardFiguresService } from './figures';
import { createFreezer, FREEZE_JOB, type Freezer } from './freeze';
import { createHouseholdSide, type HouseholdSide } from './household';
import type { BoardEntry } from './model';
import { createNominations, type Nominations } from './nominate';
import { createEntryPlaces } from './places';
import { createPoints, type Points } from './points';
import { createReview, WINDOW_JOB, type Review } from './review';
import { createBoardViews, type BoardViews } from './view';

declare module 'fastify' {
  interface FastifyInstance {
    /** Civility red-black boards (文明行为红黑榜): each concern its own service, sharing the entry primitive. */
    boards: {
      core: BoardCore;
      views: BoardViews;
      nominations: Nominations;
      review: Review;
      household: HouseholdSide;
      points: Points;
      freezer: Freezer;
      boards: Boards;
      figures: BoardFiguresService;
    };
  }
}

export default fp(
  async function boards(app: FastifyInstance) {
    const deps: BoardDeps = {
      ...itemModuleDeps(app),
    };
    const core = createBoardCore(deps);
    const places = createEntryPlaces(app.models);
    const views = createBoardViews(deps, core, places);
    const points = createPoints(app.models);
    const household = createHouseholdSide(deps, core, views, points);
    const freezer = createFreezer(deps, places, points, createPublisher({ ...deps, models: app.models }));
    app.items.define<BoardEntry & ModeratedItem>('board_entry', {
      find: core.load,
      // Staff see the evidence before WeChat's check (they clear it for publication); everyone else once passed.
      handles: (actor, entry) => core.isStaff(actor, entry),
      // No `isPublic`: the board is the community's own, never open data.
    });
    app.jobs.define(WINDOW_JOB, async ({ payload }) =>
      household.onWindowClose(payload as Parameters<HouseholdSide['onWindowClose']>[0]),
    );
    app.jobs.define(FREEZE_JOB, async ({ dueAt }) => freezer.onFreeze(dueAt));
    await freezer.start(app.jobs);
    app.decorate('boards', {
      core,
      views,
      nominations: createNominations(deps, core, views),
      review: createReview(deps, core, views, points),
      household,
      points,
      freezer,
      boards: createBoards(deps, places, points),
      figures: createBoardFigures(deps, core),
    });
  },
  { name: 'boards', dependencies: ['platform'] },
);
