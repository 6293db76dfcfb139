import type { FastifyInstance } from 'fastify';
import { buildDemoApp } from '../helpers/demo';
import { fileReport, move, photo } from '../helpers/reports';
import { loginDemo, type LoggedIn } from '../helpers/session';

let app: FastifyInstance;
let owner: LoggedIn;
let follower: LoggedIn;
let grid: LoggedIn;
let property: LoggedIn;

beforeAll(async () => {
  app = await buildDemoApp();
  [owner, follower, grid, property] = await Promise.all([
    loginDemo(app, 'owner'),
    loginDemo(app, 'unitcap'),
    loginDemo(app, 'grid'),
    loginDemo(app, 'property'),
  ]);
});
afterAll(() => app.close());

/** The titles of the messages `who` got about the report, oldest first. */
async function told(who: LoggedIn, id: string): Promise<string[]> {
  const inbox = await app.inject({ url: '/api/inbox?limit=50', headers: who.headers });
  return (inbox.json().items as { title: string; link: string }[])
    .filter((n) => n.link.includes(id))
    .map((n) => n.title)
    .reverse();
}

test('a fix asks only the reporter to confirm it; a report sent back says 已重新处理 to everyone who follows it', async () => {
  const id = (await fileReport(app, owner)).json().id;
  await app.inject({ method: 'POST', url: `/api/reports/${id}/follow`, headers: follower.headers });
  await move(app, grid, id, 'accept');
  await move(app, grid, id, 'assign', { assignee: { kind: 'property' } });
  await move(app, property, id, 'resolve', { note: '杂物已清理', mediaIds: [await photo(app, property)] });
  expect(await told(owner, id)).toEqual(['随手拍已受理', '随手拍已派单', '随手拍已办结，请确认是否解决']);
  expect(await told(follower, id)).toEqual(['随手拍已受理', '随手拍已派单', '随手拍已办结']);

  await move(app, owner, id, 'reopen', { note: '楼道里还有两箱没清走' });
  expect((await told(follower, id)).at(-1)).toBe('随手拍已重新处理');
});
