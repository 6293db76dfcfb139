import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { IdParams, PageQuery } from '../../../shared/schemas/ids';
import {
  ActivityListQuery,
  ActivityPage,
  ActivityView,
  CodeBody,
  ComplainBody,
  CreateActivityBody,
  CreateOrderBody,
  DecideComplaintBody,
  DeclineBody,
  DispatchBody,
  DoorCode,
  LedgerPage,
  ManualHoursBody,
  OrderListQuery,
  OrderPage,
  OrderView,
  RateBody,
  ReasonBody,
  RegisterVolunteerBody,
  SuggestionView,
  VolunteerFigures,
  VolunteerSettings,
  VolunteerFiguresQuery,
  VolunteerListQuery,
  VolunteerPage,
  VolunteerView,
} from '../../../shared/schemas/volunteers';
import { NotFoundError } from '../../errors';
import { errorResponses } from '../../http';
import { timelineRoutes } from '../audit/routes';
import { createFiguresScope } from '../places/service';
import type { Actor } from '../roles/access';
import { CSV_TYPE } from '../../csv';

const secured = { security: [{ bearer: [] }] };
const tags = ['volunteers'];
const EmptyBody = Type.Object({}, { additionalProperties: false });

/** Volunteers, service orders from 点单 to 评单, the hours ledger, activities and figures. */
export const volunteerRoutes: FastifyPluginAsyncTypebox = async function volunteerRoutes(app) {
  const { registration, orders, dispatch, visits, feedback, ledger, activities, figures, settings } = app.volunteers;
  app.addHook('onRequest', app.authenticate);
  timelineRoutes(app, { base: '/volunteer-orders', kind: 'volunteer_order', tag: 'volunteers', find: orders.load });

  /** A POST on one item: `/{base}/:id/{verb}` with its body, answered by `handle`. */
  function itemPost<B extends TSchema, R extends typeof OrderView | typeof ActivityView | typeof VolunteerView>(
    path: string,
    summary: string,
    body: B,
    reply: R,
    handle: (actor: Actor, id: string, body: Static<B>) => Promise<Static<R>>,
  ) {
    const schema = {
      tags,
      summary,
      ...secured,
      params: IdParams,
      body,
      response: { 200: reply as TObject, ...errorResponses },
    };
    app.post(
      path,
      // Fastify cannot resolve the reply type of a generic schema: `handle` is typed against `reply` instead.
      { schema },
      async function itemMove(request) {
        return handle(request.actor, request.params.id, request.body as Static<B>);
      },
    );
  }

  // —— Volunteers ——

  app.post(
    '/volunteers',
    {
      schema: {
        tags,
        summary: 'Register as a volunteer of a community (staff verify it)',
        ...secured,
        body: RegisterVolunteerBody,
        response: { 201: VolunteerView, ...errorResponses },
      },
    },
    async function register(request, reply) {
      return reply.status(201).send(await registration.register(request.actor, request.body));
    },
  );

  app.get(
    '/volunteers/me',
    {
      schema: {
        tags,
        summary: "The caller's registration in a community (null when not registered)",
        ...secured,
        querystring: Type.Object({ communityId: Type.Optional(IdParams.properties.id) }),
        response: { 200: Type.Union([VolunteerView, Type.Null()]), ...errorResponses },
      },
    },
    async function myRegistration(request) {
      const mine = await registration.mine(request.actor, request.query.communityId);
      return mine ? (await registration.views(request.actor, [mine]))[0]! : null;
    },
  );

  app.get(
    '/volunteers',
    {
      schema: {
        tags,
        summary: "A community's volunteers, newest first (dispatchers and staff)",
        ...secured,
        querystring: VolunteerListQuery,
        response: { 200: VolunteerPage, ...errorResponses },
      },
    },
    async function listVolunteers(request) {
      const { communityId, status, cursor, limit = 20 } = request.query;
      return registration.list(request.actor, { communityId, status, cursor, limit });
    },
  );

  app.get(
    '/volunteers/:id',
    {
      schema: {
        tags,
        summary: "A volunteer's profile: skills, area, hours, points, stars, rating",
        ...secured,
        params: IdParams,
        response: { 200: VolunteerView, ...errorResponses },
      },
    },
    async function volunteer(request) {
      return registration.get(request.actor, request.params.id);
    },
  );

  for (const decision of ['verify', 'suspend', 'reinstate'] as const) {
    itemPost(
      `/volunteers/:id/${decision}`,
      `Staff ${decision} a volunteer, with a reason`,
      ReasonBody,
      VolunteerView,
      (actor, id, body) => registration.decide(actor, id, decision, body.reason),
    );
  }

  app.get(
    '/volunteers/:id/ledger',
    {
      schema: {
        tags,
        summary: "A volunteer's hours ledger, newest first, with totals (points, stars)",
        ...secured,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: LedgerPage, ...errorResponses },
      },
    },
    async function volunteerLedger(request) {
      const found = await registration.load(request.actor, request.params.id);
      return ledger.page(found.communityId, found.userId, request.query.cursor, request.query.limit ?? 20);
    },
  );

  app.get(
    '/volunteers/:id/ledger/export',
    {
      schema: {
        tags,
        summary: 'The service record as CSV (a record, not a certificate)',
        ...secured,
        params: IdParams,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async function ledgerCsv(request, reply) {
      const found = await registration.load(request.actor, request.params.id);
      return reply
        .type(CSV_TYPE)
        .header('content-disposition', `attachment; filename="service-record-${found._id}.csv"`)
        .send(await ledger.csv(found.communityId, found.userId, found.realName));
    },
  );

  // —— Orders ——

  app.post(
    '/volunteer-orders',
    {
      schema: {
        tags,
        summary: 'Order a service (点单), for oneself or a neighbour; the same idempotencyKey returns the first',
        ...secured,
        body: CreateOrderBody,
        response: { 200: OrderView, 201: OrderView, ...errorResponses },
      },
    },
    async function createOrder(request, reply) {
      const { created, order } = await orders.create(request.actor, request.body);
      return reply.status(created ? 201 : 200).send(order);
    },
  );

  app.get(
    '/volunteer-orders',
    {
      schema: {
        tags,
        summary: 'A page of orders: mine, my tasks, open to take, or the dispatch queue (by wanted time)',
        ...secured,
        querystring: OrderListQuery,
        response: { 200: OrderPage, ...errorResponses },
      },
    },
    async function listOrders(request) {
      const { view, state, cursor, limit = 20 } = request.query;
      return orders.list(request.actor, { view, state, cursor, limit });
    },
  );

  app.get(
    '/volunteer-orders/:id',
    {
      schema: {
        tags,
        summary: 'An order',
        ...secured,
        params: IdParams,
        response: { 200: OrderView, ...errorResponses },
      },
    },
    async function order(request) {
      return orders.get(request.actor, request.params.id);
    },
  );

  app.get(
    '/volunteer-orders/:id/suggestions',
    {
      schema: {
        tags,
        summary: 'Volunteers ranked for the order, each with why (dispatchers)',
        ...secured,
        params: IdParams,
        response: { 200: Type.Array(SuggestionView), ...errorResponses },
      },
    },
    async function suggestions(request) {
      return dispatch.suggestions(request.actor, request.params.id);
    },
  );

  app.get(
    '/volunteer-orders/:id/door-code',
    {
      schema: {
        tags,
        summary: "The resident's one-time door code for check-in or check-out (rotates every minute)",
        ...secured,
        params: IdParams,
        response: { 200: DoorCode, ...errorResponses },
      },
    },
    async function doorCode(request) {
      return visits.code(request.actor, request.params.id);
    },
  );

  const base = '/volunteer-orders/:id';
  itemPost(`${base}/dispatch`, 'Dispatch to a volunteer (派单)', DispatchBody, OrderView, (a, id, b) =>
    dispatch.dispatch(a, id, b.volunteerId),
  );
  itemPost(
    `${base}/publish`,
    'Open the order for any verified volunteer with the skill',
    EmptyBody,
    OrderView,
    (a, id) => dispatch.publish(a, id),
  );
  itemPost(`${base}/accept`, 'Accept the order offered to me (接单)', EmptyBody, OrderView, (a, id) =>
    dispatch.accept(a, id),
  );
  itemPost(`${base}/decline`, 'Decline the order offered to me', DeclineBody, OrderView, (a, id, b) =>
    dispatch.decline(a, id, b.reason),
  );
  itemPost(
    `${base}/take`,
    'Take an open order: the first taker wins, others get 409 ORDER_TAKEN',
    EmptyBody,
    OrderView,
    (a, id) => dispatch.take(a, id),
  );
  itemPost(`${base}/check-in`, "Check in at the door with the resident's code", CodeBody, OrderView, (a, id, b) =>
    visits.checkIn(a, id, b.code),
  );
  itemPost(
    `${base}/check-out`,
    "Check out with the resident's new code; the hours go to the ledger",
    CodeBody,
    OrderView,
    (a, id, b) => visits.checkOut(a, id, b.code),
  );
  itemPost(
    `${base}/manual-hours`,
    'Staff add hours by hand with a reason (capped by the window)',
    ManualHoursBody,
    OrderView,
    (a, id, b) => visits.manualHours(a, id, b.minutes, b.reason),
  );
  itemPost(`${base}/rate`, 'Rate the service 1–5 (评单)', RateBody, OrderView, (a, id, b) =>
    feedback.rate(a, id, b.score, b.comment),
  );
  itemPost(`${base}/complain`, 'Complain about the service (goes to staff)', ComplainBody, OrderView, (a, id, b) =>
    feedback.complain(a, id, b.text),
  );
  itemPost(
    `${base}/complaint/decide`,
    'Staff uphold (voiding the hours) or dismiss a complaint',
    DecideComplaintBody,
    OrderView,
    (a, id, b) => feedback.decideComplaint(a, id, b.upheld, b.note),
  );
  itemPost(`${base}/cancel`, 'Cancel the order (the resident or a dispatcher)', DeclineBody, OrderView, (a, id, b) =>
    feedback.cancel(a, id, b.reason),
  );

  // —— Activities ——

  app.post(
    '/volunteer-activities',
    {
      schema: {
        tags,
        summary: 'Publish an activity with places (staff)',
        ...secured,
        body: CreateActivityBody,
        response: { 201: ActivityView, ...errorResponses },
      },
    },
    async function createActivity(request, reply) {
      return reply.status(201).send(await activities.create(request.actor, request.body));
    },
  );

  app.get(
    '/volunteer-activities',
    {
      schema: {
        tags,
        summary: "A community's activities, latest start first",
        ...secured,
        querystring: ActivityListQuery,
        response: { 200: ActivityPage, ...errorResponses },
      },
    },
    async function listActivities(request) {
      const { communityId, cursor, limit = 20 } = request.query;
      return activities.list(request.actor, { communityId, cursor, limit });
    },
  );

  app.get(
    '/volunteer-activities/:id',
    {
      schema: {
        tags,
        summary: 'An activity',
        ...secured,
        params: IdParams,
        response: { 200: ActivityView, ...errorResponses },
      },
    },
    async function activity(request) {
      return activities.get(request.actor, request.params.id);
    },
  );

  const activity = '/volunteer-activities/:id';
  itemPost(`${activity}/sign-up`, 'Sign up: a place, or the waiting list when full', EmptyBody, ActivityView, (a, id) =>
    activities.signUp(a, id),
  );
  itemPost(`${activity}/cancel`, 'Cancel my sign-up; the first waiting moves up', EmptyBody, ActivityView, (a, id) =>
    activities.cancel(a, id),
  );
  itemPost(`${activity}/check-in`, "Check in with the organiser's code", CodeBody, ActivityView, (a, id, b) =>
    activities.checkIn(a, id, b.code),
  );
  itemPost(
    `${activity}/complete`,
    'Complete it: checked-in volunteers get its hours (staff)',
    EmptyBody,
    ActivityView,
    (a, id) => activities.complete(a, id),
  );

  // —— Settings ——

  app.get(
    '/communities/:id/volunteer-settings',
    {
      schema: {
        tags,
        summary: "The community's volunteer settings: the accept timeout (staff)",
        ...secured,
        params: IdParams,
        response: { 200: VolunteerSettings, ...errorResponses },
      },
    },
    async function getVolunteerSettings(request) {
      return settings.get(request.actor, request.params.id);
    },
  );

  app.put(
    '/communities/:id/volunteer-settings',
    {
      schema: {
        tags,
        summary: 'Set how long a dispatched volunteer has to accept (15 min – 24 h; applies to later dispatches)',
        ...secured,
        params: IdParams,
        body: VolunteerSettings,
        response: { 200: VolunteerSettings, ...errorResponses },
      },
    },
    async function putVolunteerSettings(request) {
      return settings.save(request.actor, request.params.id, request.body);
    },
  );

  // —— Figures ——

  const figuresScope = createFiguresScope(app.models, app.access);
  /** A community's figures for its dispatchers (staff), or one grid's also for its grid workers. */
  async function figuresOf(actor: Actor, query: Static<typeof VolunteerFiguresQuery>) {
    const community = await app.access.findNode(actor, query.communityId);
    if (community.kind !== 'community') throw new NotFoundError('No such community');
    const { grid } = await figuresScope(actor, 'order.dispatch', query.communityId, query.gridId);
    return figures.figures(community._id, query.month, grid?.buildingIds);
  }

  app.get(
    '/volunteer-figures',
    {
      schema: {
        tags,
        summary: 'Figures for a community and month (staff), or for one of its grids (its grid workers too)',
        ...secured,
        querystring: VolunteerFiguresQuery,
        response: { 200: VolunteerFigures, ...errorResponses },
      },
    },
    async function volunteerFigures(request) {
      return figuresOf(request.actor, request.query);
    },
  );

  app.get(
    '/volunteer-figures/export',
    {
      schema: {
        tags,
        summary: 'The same figures as CSV',
        ...secured,
        querystring: VolunteerFiguresQuery,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async function volunteerFiguresCsv(request, reply) {
      const f = await figuresOf(request.actor, request.query);
      return reply
        .type(CSV_TYPE)
        .header('content-disposition', `attachment; filename="volunteer-figures-${f.month}.csv"`)
        .send(figures.csv(f));
    },
  );
};
