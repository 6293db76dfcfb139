import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { IdParams, PageQuery } from '../../../shared/schemas/ids';
import {
  ClaimBody,
  ConfirmBody,
  CreateOrganisationBody,
  CreateWishBody,
  FulfilBody,
  JoinOrganisationBody,
  NoteBody,
  OptionalReasonBody,
  OrganisationList,
  OrganisationView,
  ReasonBody,
  ResubmitWishBody,
  WishFigures,
  WishFiguresQuery,
  WishListQuery,
  WishMessageBody,
  WishMessagePage,
  WishMessageView,
  WishPage,
  WishSettingsBody,
  WishSettingsView,
  WishView,
} from '../../../shared/schemas/wishes';
import { NotFoundError } from '../../errors';
import { errorResponses } from '../../http';
import { timelineRoutes } from '../audit/routes';
import type { Actor } from '../roles/access';
import { CSV_TYPE } from '../../csv';

const secured = { security: [{ bearer: [] }] };
const tags = ['wishes'];
const EmptyBody = Type.Object({}, { additionalProperties: false });

/** Micro-wishes: settings, posting and review, claims, fulfilment, messages, organisations, figures. */
export const wishRoutes: FastifyPluginAsyncTypebox = async function wishRoutes(app) {
  const { core, posting, claims, fulfilment, lists, messages, organisations, figures } = app.wishes;
  const view = app.wishes.views.one;
  app.addHook('onRequest', app.authenticate);
  // The timeline names who did what (masked): the wish's inside only, like the beneficiary's name.
  timelineRoutes(app, { base: '/wishes', kind: 'wish', tag: 'wishes', find: core.loadInside });

  /** One move: `POST /wishes/:id/{verb}` with its body, answered with the wish as the caller now sees it. */
  const move = <B extends TSchema>(
    verb: string,
    summary: string,
    body: B,
    handle: (actor: Actor, id: string, body: Static<B>) => Promise<Static<typeof WishView>>,
  ) => ({
    verb,
    summary,
    body: body as TSchema,
    handle: handle as (a: Actor, id: string, b: unknown) => Promise<Static<typeof WishView>>,
  });
  const moves = [
    move('publish', 'Publish a pending wish on the wall (staff)', EmptyBody, (a, id) => posting.publish(a, id)),
    move('return', 'Send a pending wish back for changes (staff)', ReasonBody, (a, id, b) =>
      posting.review(a, id, 'return', b.reason),
    ),
    move('reject', 'Turn a pending wish down with a reason (staff)', ReasonBody, (a, id, b) =>
      posting.review(a, id, 'reject', b.reason),
    ),
    move('resubmit', 'Edit a returned wish and send it for review again (poster)', ResubmitWishBody, (a, id, b) =>
      posting.resubmit(a, id, b),
    ),
    move('withdraw', 'Withdraw an unclaimed wish (poster or staff)', OptionalReasonBody, (a, id, b) =>
      posting.withdraw(a, id, b.reason),
    ),
    move(
      'claim',
      'Claim a published wish (party member, volunteer or organisation); 409 WISH_TAKEN if taken',
      ClaimBody,
      (a, id, b) => claims.claim(a, id, b),
    ),
    move('release', 'Give a claimed wish back to the wall (claimant)', ReasonBody, (a, id, b) =>
      claims.release(a, id, b.reason),
    ),
    move('fulfil', 'Mark the wish fulfilled with proof photos and a note (claimant)', FulfilBody, (a, id, b) =>
      fulfilment.fulfil(a, id, b),
    ),
    move('confirm', 'Confirm the fulfilment, with an optional thank-you (poster or proxy)', ConfirmBody, (a, id, b) =>
      fulfilment.confirm(a, id, b.thanks),
    ),
    move('dispute', 'Dispute the fulfilment: staff decide (poster or proxy)', ReasonBody, (a, id, b) =>
      fulfilment.dispute(a, id, b.reason),
    ),
    move('settle', 'Decide a dispute: fulfilled after all (staff)', NoteBody, (a, id, b) =>
      fulfilment.decide(a, id, 'settle', b.note),
    ),
    move('reopen', 'Decide a dispute: not fulfilled, back on the wall (staff)', NoteBody, (a, id, b) =>
      fulfilment.decide(a, id, 'reopen', b.note),
    ),
  ];
  for (const m of moves) {
    app.post(
      `/wishes/:id/${m.verb}`,
      {
        schema: {
          tags,
          summary: m.summary,
          ...secured,
          params: IdParams,
          body: m.body,
          response: { 200: WishView, ...errorResponses },
        },
      },
      async function wishMove(request) {
        return m.handle(request.actor, request.params.id, request.body);
      },
    );
  }

  app.get(
    '/communities/:id/wish-settings',
    {
      schema: {
        tags,
        summary: "A community's wish settings: value cap, claim lapse and auto-confirm days",
        ...secured,
        params: IdParams,
        response: { 200: WishSettingsView, ...errorResponses },
      },
    },
    async function wishSettings(request) {
      return posting.settings(request.actor, request.params.id);
    },
  );

  app.put(
    '/communities/:id/wish-settings',
    {
      schema: {
        tags,
        summary: "Change a community's wish settings (staff)",
        ...secured,
        params: IdParams,
        body: WishSettingsBody,
        response: { 200: WishSettingsView, ...errorResponses },
      },
    },
    async function saveWishSettings(request) {
      return posting.saveSettings(request.actor, request.params.id, request.body);
    },
  );

  app.post(
    '/wishes',
    {
      schema: {
        tags,
        summary: 'Post a wish for one’s household, or record one for a neighbour (代录); it waits for review',
        ...secured,
        body: CreateWishBody,
        response: { 200: WishView, 201: WishView, ...errorResponses },
      },
    },
    async function createWish(request, reply) {
      const { created, wish } = await posting.create(request.actor, request.body);
      return reply.status(created ? 201 : 200).send(wish);
    },
  );

  app.get(
    '/wishes',
    {
      schema: {
        tags,
        summary: 'The wall, the done wall, my wishes, my claims or the review queue, by cursor',
        ...secured,
        querystring: WishListQuery,
        response: { 200: WishPage, ...errorResponses },
      },
    },
    async function listWishes(request) {
      return lists.list(request.actor, request.query);
    },
  );

  app.get(
    '/wishes/:id',
    {
      schema: {
        tags,
        summary: 'One wish as the caller may see it',
        ...secured,
        params: IdParams,
        response: { 200: WishView, ...errorResponses },
      },
    },
    async function wish(request) {
      return view(request.actor, await core.load(request.actor, request.params.id));
    },
  );

  app.get(
    '/wishes/:id/messages',
    {
      schema: {
        tags,
        summary: 'Messages between the beneficiary’s side and the claimant, newest first',
        ...secured,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: WishMessagePage, ...errorResponses },
      },
    },
    async function wishMessages(request) {
      return messages.list(request.actor, request.params.id, request.query);
    },
  );

  app.post(
    '/wishes/:id/messages',
    {
      schema: {
        tags,
        summary: 'Send a short message to the other side while a claim stands',
        ...secured,
        params: IdParams,
        body: WishMessageBody,
        response: { 201: WishMessageView, ...errorResponses },
      },
    },
    async function sendWishMessage(request, reply) {
      return reply.status(201).send(await messages.post(request.actor, request.params.id, request.body.text));
    },
  );

  // —— Organisations ——

  app.get(
    '/communities/:id/wish-organisations',
    {
      schema: {
        tags,
        summary: "A community's registered organisations (contacts and join codes whole to staff)",
        ...secured,
        params: IdParams,
        response: { 200: OrganisationList, ...errorResponses },
      },
    },
    async function wishOrganisations(request) {
      return organisations.list(request.actor, request.params.id);
    },
  );

  app.post(
    '/communities/:id/wish-organisations',
    {
      schema: {
        tags,
        summary: 'Register an organisation with its contact; answers its join code (staff)',
        ...secured,
        params: IdParams,
        body: CreateOrganisationBody,
        response: { 201: OrganisationView, ...errorResponses },
      },
    },
    async function createWishOrganisation(request, reply) {
      return reply.status(201).send(await organisations.create(request.actor, request.params.id, request.body));
    },
  );

  app.post(
    '/wish-organisations/join',
    {
      schema: {
        tags,
        summary: 'Join an organisation with its code',
        ...secured,
        body: JoinOrganisationBody,
        response: { 200: OrganisationView, ...errorResponses },
      },
    },
    async function joinWishOrganisation(request) {
      return organisations.join(request.actor, request.body.code);
    },
  );

  // —— Figures ——

  async function figuresOf(actor: Actor, communityId: string, month: string) {
    const community = await app.access.authorize(actor, 'wish.review', communityId);
    if (community.kind !== 'community') throw new NotFoundError('No such community');
    return figures.figures(community._id, month);
  }

  app.get(
    '/wish-figures',
    {
      schema: {
        tags,
        summary: 'Wish figures for a community and month (staff)',
        ...secured,
        querystring: WishFiguresQuery,
        response: { 200: WishFigures, ...errorResponses },
      },
    },
    async function wishFigures(request) {
      return figuresOf(request.actor, request.query.communityId, request.query.month);
    },
  );

  app.get(
    '/wish-figures/export',
    {
      schema: {
        tags,
        summary: 'The same figures as CSV',
        ...secured,
        querystring: WishFiguresQuery,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async function wishFiguresCsv(request, reply) {
      const f = await figuresOf(request.actor, request.query.communityId, request.query.month);
      return reply
        .type(CSV_TYPE)
        .header('content-disposition', `attachment; filename="wish-figures-${f.month}.csv"`)
        .send(figures.csv(f));
    },
  );
};
