import type { FastifyInstance } from 'fastify';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { seedDemo } from '../../server/modules/demo/seed';
import type { PlaceNode } from '../../server/modules/places/model';
import type { AppOptions } from '../../server/app';
import { manualClock } from '../../server/clock';
import { buildTestApp } from './app';
import { loginDemo, type LoggedIn } from './session';

/** An app on a fresh database holding the demo street, its two communities and the demo users. */
export async function buildDemoApp(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildTestApp(options);
  await seedDemo(app.db.connection, app.models);
  return app;
}

/**
 * A test file's demo app on a clock set by hand: built, with the demo users `names` logged in, before all its tests
 * (a file's own `beforeAll` runs after, and can read them), closed after them, the clock back at `start` before each.
 */
export function demoAppAt<N extends string>(start: Date, names: readonly N[]) {
  const clock = manualClock(start);
  const demo = { clock, app: undefined as unknown as FastifyInstance, users: {} as Record<N, LoggedIn> };
  beforeAll(async () => {
    demo.app = await buildDemoApp({ clock });
    const sessions = await Promise.all(names.map((name) => loginDemo(demo.app, name)));
    names.forEach((name, i) => (demo.users[name] = sessions[i]!));
  }, 30_000);
  afterAll(() => demo.app.close());
  beforeEach(() => clock.set(start));
  return demo;
}

/** A seeded place by its names from the community down, e.g. ['幸福里社区', '阳光花园', '1栋', '1单元']. */
export async function place(app: FastifyInstance, names: string[]): Promise<PlaceNode> {
  let node: PlaceNode | null = null;
  for (const name of names) {
    node = await app.models.Node.findOne({ parentId: node ? node._id : { $ne: null }, name, kind: { $ne: 'street' } })
      .setOptions(CROSS_COMMUNITY)
      .lean<PlaceNode>();
    if (!node) throw new Error(`no place ${names.join('/')}`);
  }
  return node!;
}

export async function placeId(app: FastifyInstance, names: string[]): Promise<string> {
  return String((await place(app, names))._id);
}
