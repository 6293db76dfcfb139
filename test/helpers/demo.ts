import type { FastifyInstance } from 'fastify';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { seedDemo } from '../../server/modules/demo/seed';
import type { PlaceNode } from '../../server/modules/places/model';
import type { AppOptions } from '../../server/app';
import { buildTestApp } from './app';

/** An app on a fresh database holding the demo street, its two communities and the demo users. */
export async function buildDemoApp(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildTestApp(options);
  await seedDemo(app.db.connection, app.models);
  return app;
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
