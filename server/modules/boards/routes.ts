import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { IdParams } from '../../../shared/schemas/ids';
import {
  AddInfoBody,
  BoardFigures,
  BoardFiguresQuery,
  BoardPage,
  BoardQuery,
  BoardSettingsBody,
  BoardSettingsView,
  ClearPhotoBody,
  ConsentBody,
  DecideAppealBody,
  EntryListQuery,
  EntryPage,
  EntryPhotoParams,
  EntryView,
  MonthList,
  MonthsQuery,
  NominateBody,
  RankingQuery,
  RankingView,
  ReasonBody,
  RectifyBody,
  RespondBody,
} from '../../../shared/schemas/boards';
import { ForbiddenError, NotFoundError } from '../../errors';
import { errorResponses } from '../../http';
import { timelineRoutes } from '../audit/routes';
import type { Actor } from '../roles/access';
import { CSV_TYPE } from '../../csv';

const secured = { security: [{ bearer: [] }] };
const tags = ['boards'];
const EmptyBody = Type.Object({}, { additionalProperties: false });
const OptionalNoteBody = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })) },
  { additionalProperties: false },
);

const attachment = (name: string) => `attachment; filename="${name}.csv"`;

/** Civility boards: settings, nominations and their due process, the boards, the ranking, figures. */
export const boardRoutes: FastifyPluginAsyncTypebox = async function boardRoutes(app) {
  const { core, views, nominations, review, household, boards, figures } = app.boards;
  app.addHook('onRequest', app.authenticate);
  // The timeline names who did what: the entry's inside only (staff, nominator, household, named person).
  timelineRoutes(app, { base: '/board-entries', kind: 'board_entry', tag: 'boards', find: core.loadInside });

  /** Registers `POST /board-entries/:id/{verb}`: one move, answered with the entry as the caller now sees it. */
  function moveRoute<B extends TSchema>(
    verb: string,
    summary: string,
    body: B,
    handle: (actor: Actor, id: string, body: Static<B>) => Promise<Static<typeof EntryView>>,
  ): void {
    const schema = { tags, summary, ...secured, params: IdParams, body: body as TSchema };
    app.post(
      `/board-entries/:id/${verb}`,
      { schema: { ...schema, response: { 200: EntryView, ...errorResponses } } },
      async function boardEntryMove(request) {
        return handle(request.actor, request.params.id, request.body as Static<B>);
      },
    );
  }
  moveRoute(
    'confirm',
    'Confirm a nomination: red to the board, black to the household first (staff)',
    EmptyBody,
    (a, id) => review.confirm(a, id),
  );
  moveRoute('ask-more', 'Ask the nominator for more (staff)', ReasonBody, (a, id, b) =>
    review.decline(a, id, 'ask_more', b.reason),
  );
  moveRoute('add-info', 'Add the information staff asked for (nominator)', AddInfoBody, (a, id, b) =>
    nominations.addInfo(a, id, b),
  );
  moveRoute('dismiss', 'Dismiss a nomination with a reason (staff)', ReasonBody, (a, id, b) =>
    review.decline(a, id, 'dismiss', b.reason),
  );
  moveRoute('respond', 'Respond to a black entry within the window (household)', RespondBody, (a, id, b) =>
    household.respond(a, id, b.text),
  );
  moveRoute('rectify', 'Show the act put right, with photos (household)', RectifyBody, (a, id, b) =>
    household.rectify(a, id, b),
  );
  moveRoute(
    'publish',
    'Publish a black entry; 409 PHOTOS_NOT_CLEARED while an evidence photo is uncleared (staff)',
    EmptyBody,
    (a, id) => review.publish(a, id),
  );
  moveRoute(
    'withdraw-rectified',
    'Withdraw a rectified black entry: never published (staff)',
    OptionalNoteBody,
    (a, id, b) => review.withdrawRectified(a, id, b.note),
  );
  moveRoute('appeal', 'Appeal a published black entry (household)', ReasonBody, (a, id, b) =>
    household.appeal(a, id, b.reason),
  );
  moveRoute('appeal/decide', 'Decide an appeal: upheld adds a correction line (staff)', DecideAppealBody, (a, id, b) =>
    household.decideAppeal(a, id, b.upheld, b.note),
  );
  moveRoute(
    'consent',
    'Give or revoke consent to one’s name on a red entry (the person named)',
    ConsentBody,
    (a, id, b) => household.consent(a, id, b.consent),
  );

  app.post(
    '/board-entries/:id/photos/:mediaId/clear',
    {
      schema: {
        tags,
        summary: 'Clear an evidence photo for publication: black out rects, or none to mark it free of faces (staff)',
        ...secured,
        params: EntryPhotoParams,
        body: ClearPhotoBody,
        response: { 200: EntryView, ...errorResponses },
      },
    },
    async function clearEntryPhoto(request) {
      const { id, mediaId } = request.params;
      return review.clearPhoto(request.actor, id, mediaId, request.body.rects);
    },
  );

  app.get(
    '/communities/:id/board-settings',
    {
      schema: {
        tags,
        summary: "A community's acts and their points",
        ...secured,
        params: IdParams,
        response: { 200: BoardSettingsView, ...errorResponses },
      },
    },
    async function boardSettings(request) {
      return nominations.settings(request.actor, request.params.id);
    },
  );

  app.put(
    '/communities/:id/board-settings',
    {
      schema: {
        tags,
        summary: "Change a community's acts and points; 422 ACTS_INVALID (staff)",
        ...secured,
        params: IdParams,
        body: BoardSettingsBody,
        response: { 200: BoardSettingsView, ...errorResponses },
      },
    },
    async function saveBoardSettings(request) {
      return nominations.saveSettings(request.actor, request.params.id, request.body);
    },
  );

  app.post(
    '/board-entries',
    {
      schema: {
        tags,
        summary: 'Nominate a good deed (red) or an uncivil act (black) with evidence; staff verify it',
        ...secured,
        body: NominateBody,
        response: { 200: EntryView, 201: EntryView, ...errorResponses },
      },
    },
    async function nominate(request, reply) {
      const { created, entry } = await nominations.create(request.actor, request.body);
      return reply.status(created ? 201 : 200).send(entry);
    },
  );

  app.get(
    '/board-entries',
    {
      schema: {
        tags,
        summary: 'My nominations, my household’s black entries, red entries naming me, or staff’s queue',
        ...secured,
        querystring: EntryListQuery,
        response: { 200: EntryPage, ...errorResponses },
      },
    },
    async function listBoardEntries(request) {
      return nominations.list(request.actor, request.query);
    },
  );

  app.get(
    '/board-entries/:id',
    {
      schema: {
        tags,
        summary: 'One entry as the caller may see it',
        ...secured,
        params: IdParams,
        response: { 200: EntryView, ...errorResponses },
      },
    },
    async function boardEntry(request) {
      return views.one(request.actor, await core.load(request.actor, request.params.id));
    },
  );

  // —— Boards ——

  app.get(
    '/boards',
    {
      schema: {
        tags,
        summary: 'A month’s red or black board: live until it freezes, then its immutable snapshot',
        ...secured,
        querystring: BoardQuery,
        response: { 200: BoardPage, ...errorResponses },
      },
    },
    async function board(request) {
      return boards.page(request.actor, request.query);
    },
  );

  app.get(
    '/boards/months',
    {
      schema: {
        tags,
        summary: 'The months with a board, newest first',
        ...secured,
        querystring: MonthsQuery,
        response: { 200: MonthList, ...errorResponses },
      },
    },
    async function boardMonths(request) {
      return boards.months(request.actor, request.query.communityId);
    },
  );

  app.get(
    '/boards/ranking',
    {
      schema: {
        tags,
        summary: 'Buildings ranked by points per household, with the 流动红旗 and the tie rule',
        ...secured,
        querystring: RankingQuery,
        response: { 200: RankingView, ...errorResponses },
      },
    },
    async function boardRanking(request) {
      return boards.ranking(request.actor, request.query);
    },
  );

  app.get(
    '/boards/selections/export',
    {
      schema: {
        tags,
        summary: 'Households of the month by points for 文明家庭 / 最美邻里, as CSV (staff)',
        ...secured,
        querystring: RankingQuery,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async function boardSelections(request, reply) {
      const { month, csv } = await boards.selectionsCsv(request.actor, request.query);
      return reply
        .type(CSV_TYPE)
        .header('content-disposition', attachment(`board-selections-${month}`))
        .send(csv);
    },
  );

  // —— Figures ——

  async function figuresOf(actor: Actor, communityId: string, month: string) {
    const community = await app.access.findNode(actor, communityId);
    if (community.kind !== 'community') throw new NotFoundError('No such community');
    if (!app.access.can(actor, 'board.review', community) && !app.access.can(actor, 'report.figures', community))
      throw new ForbiddenError('Only staff see board figures');
    return figures.figures(community._id, month);
  }

  app.get(
    '/board-figures',
    {
      schema: {
        tags,
        summary: 'Board figures for a community and month (staff)',
        ...secured,
        querystring: BoardFiguresQuery,
        response: { 200: BoardFigures, ...errorResponses },
      },
    },
    async function boardFigures(request) {
      return figuresOf(request.actor, request.query.communityId, request.query.month);
    },
  );

  app.get(
    '/board-figures/export',
    {
      schema: {
        tags,
        summary: 'The same figures as CSV',
        ...secured,
        querystring: BoardFiguresQuery,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async function boardFiguresCsv(request, reply) {
      const f = await figuresOf(request.actor, request.query.communityId, request.query.month);
      return reply
        .type(CSV_TYPE)
        .header('content-disposition', attachment(`board-figures-${f.month}`))
        .send(figures.csv(f));
    },
  );
};
