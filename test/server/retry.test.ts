/**
 * The service against transient database failures and concurrent transactions: the engine runs with its test-only
 * fail points (as a mongod with enableTestCommands), and each test arms `failCommand` for the one command a request
 * makes, then checks the request still succeeds exactly once.
 */
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import type { Db, Document } from 'mongodb';
import { startEmbeddedDb, type EmbeddedDb } from '../../server/embedded-db';
import { testMongo } from '../helpers/db';
import { buildDemoApp } from '../helpers/demo';
import { fileReport, move, photo } from '../helpers/reports';
import { loginDemo, type LoggedIn } from '../helpers/session';

let engine: EmbeddedDb;
let app: FastifyInstance;
let owner: LoggedIn;
let grid: LoggedIn;
let staff: LoggedIn;

beforeAll(async () => {
  engine = await startEmbeddedDb({ port: 0, testCommands: true });
  app = await buildDemoApp({ mongo: { uri: engine.uri, kind: 'embedded', dbName: testMongo().dbName } });
  [owner, grid, staff] = await Promise.all([loginDemo(app, 'owner'), loginDemo(app, 'grid'), loginDemo(app, 'staff')]);
}, 60_000);
afterAll(async () => {
  await app.close();
  await engine.stop();
});

const db = (): Db => app.db.connection.db as Db;
const failNext = (command: string, data: Document): Promise<Document> =>
  db()
    .admin()
    .command({ configureFailPoint: 'failCommand', mode: { times: 1 }, data: { failCommands: [command], ...data } });
/** Switches the fail point off; how many commands it failed. */
const fired = async (): Promise<number> =>
  (await db().admin().command({ configureFailPoint: 'failCommand', mode: 'off' })).count as number;
afterEach(fired);

const eventsOf = (id: string, action: string): Promise<number> =>
  db()
    .collection('events')
    .countDocuments({ itemId: new Types.ObjectId(id), action });

it('files a report once when its insert first fails with a retryable error', async () => {
  const mediaId = await photo(app, owner);
  await failNext('insert', { errorCode: 91, errorLabels: ['RetryableWriteError'] });
  const idempotencyKey = `retry-${Date.now()}`;
  const filed = await fileReport(app, owner, { mediaIds: [mediaId], idempotencyKey });
  expect(filed.statusCode).toBe(201);
  expect(await db().collection('reports').countDocuments({ idempotencyKey })).toBe(1);
  expect(await fired()).toBe(1);
});

it('files a report once when its transaction meets a write conflict', async () => {
  const mediaId = await photo(app, owner);
  await failNext('insert', { errorCode: 112 });
  const idempotencyKey = `conflict-${Date.now()}`;
  const filed = await fileReport(app, owner, { mediaIds: [mediaId], idempotencyKey });
  expect(filed.statusCode).toBe(201);
  expect(await db().collection('reports').countDocuments({ idempotencyKey })).toBe(1);
  expect(await fired()).toBe(1);
});

it('moves a report once when the update inside its transaction fails with a primary step-down', async () => {
  const id = (await fileReport(app, owner)).json().id as string;
  await failNext('findAndModify', { errorCode: 189 });
  const accepted = await move(app, grid, id, 'accept');
  expect(accepted.statusCode).toBe(200);
  expect(accepted.json().state).toBe('accepted');
  expect(await eventsOf(id, 'accept')).toBe(1);
  expect(await fired()).toBe(1);
});

it('runs two moves on one report at once: one wins, the other retries and sees it changed', async () => {
  const id = (await fileReport(app, owner)).json().id as string;
  const [a, b] = await Promise.all([move(app, grid, id, 'accept'), move(app, staff, id, 'accept')]);
  expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
  expect(await eventsOf(id, 'accept')).toBe(1);
  const report = await db()
    .collection('reports')
    .findOne({ _id: new Types.ObjectId(id) });
  expect(report).toMatchObject({ state: 'accepted', version: 1 });
});

it('files reports concurrently while others read', async () => {
  const list = () => app.inject({ url: '/api/reports?limit=50', headers: grid.headers });
  const before = await db().collection('reports').countDocuments();
  const answers = await Promise.all([fileReport(app, owner), list(), fileReport(app, owner), list()]);
  expect(answers.map((r) => r.statusCode)).toEqual([201, 200, 201, 200]);
  expect(await db().collection('reports').countDocuments()).toBe(before + 2);
});
