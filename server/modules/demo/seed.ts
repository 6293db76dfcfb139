import { Types, type Connection } from 'mongoose';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import type { Models } from '../../plugins/models';
import { validateStructure } from '../places/import';
import { createStructureImporter } from '../places/importer';
import type { PlaceNode } from '../places/model';
import {
  demoArea,
  demoCommunity,
  demoEstates,
  demoGrids,
  demoStreet,
  demoUsers,
  otherCommunity,
  otherEstates,
  type DemoEstate,
  type DemoPlace,
} from './data';

function rows(estates: DemoEstate[]) {
  let index = 0;
  return estates.flatMap((estate) =>
    estate.buildings.flatMap((building) =>
      estate.units.flatMap((unit) =>
        Array.from({ length: estate.floors * estate.roomsPerFloor }, (_, i) => {
          const floor = Math.floor(i / estate.roomsPerFloor) + 1;
          const room = `${floor}0${(i % estate.roomsPerFloor) + 1}`;
          return { estate: estate.name, building, unit, room, floor, area: (demoArea(index++) / 100).toFixed(2) };
        }),
      ),
    ),
  );
}

/**
 * Seeds the demo street, its two communities with their structure, grids and demo users with roles and
 * homes. Runs only on an empty database; returns false when there was already data.
 */
export async function seedDemo(connection: Connection, models: Models): Promise<boolean> {
  if (await models.Node.exists({}).setOptions(CROSS_COMMUNITY)) return false;
  const importStructure = createStructureImporter(connection, models);

  const street = await models.Node.create({ kind: 'street', name: demoStreet, communityId: null });
  const communities = new Map<string, PlaceNode>();
  for (const [name, estates, grids] of [
    [demoCommunity, demoEstates, demoGrids],
    [otherCommunity, otherEstates, []],
  ] as const) {
    const _id = new Types.ObjectId();
    const community = await models.Node.create({
      _id,
      kind: 'community',
      name,
      parentId: street._id,
      ancestors: [street._id],
      communityId: _id,
    });
    const node = community.toObject<PlaceNode>();
    communities.set(name, node);
    const { households } = validateStructure(rows(estates), 'json');
    await importStructure(node, households, [...grids]);
  }

  async function resolve(place: DemoPlace): Promise<PlaceNode> {
    if (place[0] === demoStreet) return street.toObject<PlaceNode>();
    const community = communities.get(place[0]!)!;
    let node = community;
    for (const name of place.slice(1)) {
      node = (await models.Node.findOne({ communityId: community._id, parentId: node._id, name }).lean<PlaceNode>())!;
    }
    return node;
  }

  for (const demo of demoUsers) {
    const user = await models.User.create({
      openid: `demo-${demo.key}`,
      displayName: demo.displayName,
      phone: demo.phone,
      badges: demo.badges ?? [],
    });
    for (const { role, at } of demo.roles ?? []) {
      const node = await resolve(at);
      await models.RoleGrant.create({ userId: user._id, role, nodeId: node._id, communityId: node.communityId });
    }
    if (demo.gridWorkerOf) {
      const community = communities.get(demoCommunity)!;
      const grid = await models.Grid.findOne({ communityId: community._id, name: demo.gridWorkerOf }).lean();
      await models.RoleGrant.create({
        userId: user._id,
        role: 'grid_worker',
        nodeId: community._id,
        gridId: grid!._id,
        communityId: community._id,
      });
    }
    if (demo.home) {
      const unit = await resolve(demo.home.unit);
      await models.Household.updateOne(
        { communityId: unit.communityId, unitId: unit._id, room: demo.home.room },
        { $push: { members: { userId: user._id, relation: demo.home.relation, joinedAt: new Date() } } },
      );
      await models.RoleGrant.create({
        userId: user._id,
        role: 'resident',
        nodeId: unit._id,
        communityId: unit.communityId,
      });
    }
  }

  const staff = await models.User.findOne({ openid: 'demo-staff' }).lean();
  const community = communities.get(demoCommunity)!;
  await models.Notice.create({
    communityId: community._id,
    channelId: community._id,
    title: '欢迎使用邻里小程序',
    body: '与邻为善、以邻为伴。社区通知、随手拍、微心愿、议事协商都在这里，有事找社区，随时随地。',
    pinned: true,
    authorId: staff!._id,
    authorRole: 'community_staff',
    publishedAt: new Date(),
  });
  return true;
}
