import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { Types } from 'mongoose';
import { IdParams, PageQuery } from '../../../shared/schemas/ids';
import {
  AssignBody,
  AssigneeCandidate,
  CategoryView,
  ConfirmBody,
  Figures,
  FiguresQuery,
  NearbyQuery,
  NearbyReport,
  NoteBody,
  OverdueEntryView,
  RejectBody,
  ReopenBody,
  ReporterContact,
  ReportListQuery,
  ReportPage,
  ReportView,
  ResolveBody,
  SubmitReportBody,
  UpdateCategoryBody,
} from '../../../shared/schemas/reports';
import { chinaDate } from '../../../shared/china-time';
import { CSV_TYPE, csvAttachment } from '../../csv';
import { BadRequestError, NotFoundError } from '../../errors';
import { errorResponses } from '../../http';
import { timelineRoutes } from '../audit/routes';
import { createFiguresScope } from '../places/service';
import type { Actor } from '../roles/access';
import { figuresCsv } from './figures';
import type { MoveInput } from './service';

const secured = { security: [{ bearer: [] }] };
const One = { 200: ReportView, ...errorResponses };

/** Snap-and-report: categories, filing, lists, moves, figures and the overdue ledger. */
export const reportRoutes: FastifyPluginAsyncTypebox = async function reportRoutes(app) {
  const { service: reports, categories, figures, ledger } = app.reports;
  app.addHook('onRequest', app.authenticate);
  timelineRoutes(app, { base: '/reports', kind: 'report', tag: 'reports', find: reports.load });

  const scopeOf = createFiguresScope(app.models, app.access);
  /** Figures for a range the caller may see. */
  async function figuresFor(actor: Actor, query: Static<typeof FiguresQuery>) {
    const start = new Date(query.from);
    const end = new Date(query.to);
    if (!(start < end)) throw new BadRequestError('`from` must be before `to`');
    const { community, grid } = await figuresScope(actor, query.communityId, query.gridId);
    return figures(community, grid, start, end);
  }
  /** Whose figures (and ledger) the caller may see: a community's for staff, a grid's for its grid workers too. */
  async function figuresScope(actor: Actor, communityId: string, gridId?: string) {
    const { community, grid } = await scopeOf(actor, 'report.figures', communityId, gridId);
    return { community, grid: grid?._id };
  }

  /** The community a caller's request is about: the one asked for, or their first. */
  function communityFor(actor: Actor, requested?: string): Types.ObjectId {
    const id = requested ? actor.scope.communityIds.find((c) => c.equals(requested)) : actor.scope.communityIds[0];
    if (!id) throw new NotFoundError('No such community');
    return id;
  }

  app.get(
    '/report-categories',
    {
      schema: {
        tags: ['reports'],
        summary: "The community's report categories",
        ...secured,
        querystring: Type.Object({ communityId: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{24}$' })) }),
        response: { 200: Type.Array(CategoryView), ...errorResponses },
      },
    },
    async function listCategories(request) {
      return categories.list(communityFor(request.actor, request.query.communityId));
    },
  );

  app.patch(
    '/communities/:id/report-categories/:code',
    {
      schema: {
        tags: ['reports'],
        summary: 'Change a report category (staff): deadlines, handler, duplicate radius, privacy',
        ...secured,
        params: Type.Object({ id: IdParams.properties.id, code: Type.String({ pattern: '^[a-z_]{2,20}$' }) }),
        body: UpdateCategoryBody,
        response: { 200: CategoryView, ...errorResponses },
      },
    },
    async function updateCategory(request) {
      const community = await app.access.authorize(request.actor, 'report.categories', request.params.id);
      return categories.update(community._id, request.params.code, request.body);
    },
  );

  app.get(
    '/reports/nearby',
    {
      schema: {
        tags: ['reports'],
        summary: "Open reports of a category within the category's radius (me-too before filing)",
        ...secured,
        querystring: NearbyQuery,
        response: { 200: Type.Array(NearbyReport), ...errorResponses },
      },
    },
    async function nearby(request) {
      const { category, longitude, latitude } = request.query;
      return reports.nearby(request.actor, category, { longitude, latitude });
    },
  );

  app.post(
    '/reports',
    {
      schema: {
        tags: ['reports'],
        summary: 'File a report (sending the same idempotencyKey again returns the first)',
        ...secured,
        body: SubmitReportBody,
        response: { 200: ReportView, 201: ReportView, ...errorResponses },
      },
    },
    async function submit(request, reply) {
      const { created, report } = await reports.submit(request.actor, request.body);
      return reply.status(created ? 201 : 200).send(report);
    },
  );

  app.get(
    '/reports',
    {
      schema: {
        tags: ['reports'],
        summary: 'A page of reports for a list view',
        ...secured,
        querystring: ReportListQuery,
        response: { 200: ReportPage, ...errorResponses },
      },
    },
    async function list(request) {
      const { view = 'mine', state, category, cursor, limit = 20 } = request.query;
      return reports.list(request.actor, { view, state, category, cursor, limit });
    },
  );

  app.get(
    '/reports/figures',
    {
      schema: {
        tags: ['reports'],
        summary: 'Figures for a community or grid over a date range',
        ...secured,
        querystring: FiguresQuery,
        response: { 200: Figures, ...errorResponses },
      },
    },
    async function reportFigures(request) {
      return figuresFor(request.actor, request.query);
    },
  );

  app.get(
    '/reports/figures/export',
    {
      schema: {
        tags: ['reports'],
        summary: 'The same figures as CSV',
        ...secured,
        querystring: FiguresQuery,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async function reportFiguresCsv(request, reply) {
      const f = await figuresFor(request.actor, request.query);
      return reply
        .type(CSV_TYPE)
        .header('content-disposition', csvAttachment(`report-figures-${chinaDate(new Date(f.from))}`))
        .send(figuresCsv(f));
    },
  );

  app.get(
    '/reports/overdue-ledger',
    {
      schema: {
        tags: ['reports'],
        summary: 'The overdue ledger (办结时限台账): every missed deadline and its escalation, newest first (staff)',
        ...secured,
        querystring: Type.Composite([
          PageQuery,
          Type.Object({ communityId: IdParams.properties.id, gridId: Type.Optional(IdParams.properties.id) }),
        ]),
        response: {
          200: Type.Object({
            items: Type.Array(OverdueEntryView),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async function overdueLedger(request) {
      const { community, grid } = await figuresScope(request.actor, request.query.communityId, request.query.gridId);
      return ledger.page(community, grid, request.query.limit ?? 20, request.query.cursor);
    },
  );

  app.get(
    '/reports/overdue-ledger/export',
    {
      schema: {
        tags: ['reports'],
        summary: 'The overdue ledger as CSV, newest first (staff)',
        ...secured,
        querystring: Type.Object({
          communityId: IdParams.properties.id,
          gridId: Type.Optional(IdParams.properties.id),
        }),
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async function overdueLedgerCsv(request, reply) {
      const { community, grid } = await figuresScope(request.actor, request.query.communityId, request.query.gridId);
      return reply
        .type(CSV_TYPE)
        .header('content-disposition', csvAttachment('overdue-ledger'))
        .send(await ledger.csv(community, grid));
    },
  );

  app.get(
    '/reports/:id',
    {
      schema: {
        tags: ['reports'],
        summary: 'A report with the moves the caller may make',
        ...secured,
        params: IdParams,
        response: One,
      },
    },
    async function getReport(request) {
      return reports.get(request.actor, request.params.id);
    },
  );

  app.get(
    '/reports/:id/assignees',
    {
      schema: {
        tags: ['reports'],
        summary: 'Who a report may be assigned to (dispatchers)',
        ...secured,
        params: IdParams,
        response: { 200: Type.Array(AssigneeCandidate), ...errorResponses },
      },
    },
    async function assignees(request) {
      return reports.candidates(request.actor, request.params.id);
    },
  );

  app.post(
    '/reports/:id/reporter-contact',
    {
      schema: {
        tags: ['reports'],
        summary: "The reporter's name and phone, to call (those who handle the report); recorded in its timeline",
        ...secured,
        params: IdParams,
        response: { 200: ReporterContact, ...errorResponses },
      },
    },
    async function reporterContact(request) {
      return reports.contactReporter(request.actor, request.params.id);
    },
  );

  for (const on of [true, false]) {
    app[on ? 'post' : 'delete'](
      '/reports/:id/follow',
      {
        schema: {
          tags: ['reports'],
          summary: on ? 'Me too: follow a report instead of filing a duplicate' : 'Stop following a report',
          ...secured,
          params: IdParams,
          response: One,
        },
      },
      async function follow(request) {
        return reports.follow(request.actor, request.params.id, on);
      },
    );
  }

  const moves = [
    ['accept', NoteBody, '受理 (dispatchers)', (b: { note?: string }): MoveInput => ({ note: b.note })],
    [
      'reject',
      RejectBody,
      '不予受理 as invalid or a duplicate, with a reason (dispatchers)',
      (b: { kind: 'invalid' | 'duplicate'; note: string; duplicateOf?: string }): MoveInput => ({
        rejectKind: b.kind,
        note: b.note,
        duplicateOf: b.duplicateOf,
      }),
    ],
    [
      'assign',
      AssignBody,
      '派单 to a person or the property company (dispatchers)',
      (b: { assignee: MoveInput['assignee']; note?: string }): MoveInput => ({ assignee: b.assignee, note: b.note }),
    ],
    ['start', NoteBody, '开始处理 (the handler)', (b: { note?: string }): MoveInput => ({ note: b.note })],
    [
      'resolve',
      ResolveBody,
      '办结 with a note and a photo of the fix (the handler)',
      (b: { note: string; mediaIds: string[] }): MoveInput => ({ note: b.note, mediaIds: b.mediaIds }),
    ],
    [
      'confirm',
      ConfirmBody,
      'Confirm the fix and rate it 1–5 (the reporter)',
      (b: { score: number; comment?: string }): MoveInput => ({ score: b.score, comment: b.comment }),
    ],
    [
      'reopen',
      ReopenBody,
      'Not fixed: back to the handler, with a reason (the reporter)',
      (b: { note: string }): MoveInput => ({ note: b.note }),
    ],
  ] as const;
  for (const [action, body, summary, input] of moves) {
    app.post(
      `/reports/:id/${action}`,
      { schema: { tags: ['reports'], summary, ...secured, params: IdParams, body, response: One } },
      async function makeMove(request) {
        return reports.act(
          request.actor,
          request.params.id,
          action,
          (input as (b: unknown) => MoveInput)(request.body),
        );
      },
    );
  }
};
