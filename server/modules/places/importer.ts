import { Types, type ClientSession, type Connection } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import type { ImportBody, ImportResult } from '../../../shared/schemas/places';
import { AppError } from '../../errors';
import type { ActorCache } from '../roles/actor-cache';
import type { Models } from '../../plugins/models';
import type { ImportedHousehold, ImportProblem } from './import';
import type { PlaceNode } from './model';

export class ImportInvalidError extends AppError {
  constructor(problems: ImportProblem[]) {
    super(422, ErrorCode.IMPORT_INVALID, `${problems.length} problem(s) in the import; nothing was imported`, problems);
  }
}

/**
 * Writes a validated structure import into a community in one transaction: missing estates, buildings and
 * units are created, households upserted by (unit, room), grids upserted by name. Re-importing the same
 * file changes nothing; any failure leaves nothing half-imported.
 */
export function createStructureImporter(
  connection: Connection,
  models: Pick<Models, 'Node' | 'Household' | 'Grid'>,
  /** The members of a household whose floor or area changed see it in GET /me (the demo seed has no sessions). */
  actors?: Pick<ActorCache, 'changed'>,
) {
  return async function importStructure(
    community: PlaceNode,
    households: ImportedHousehold[],
    grids: NonNullable<ImportBody['grids']> = [],
  ): Promise<ImportResult> {
    return connection.transaction(async (session: ClientSession) => {
      const communityId = community._id;
      const existing = await models.Node.find({ communityId, kind: { $in: ['estate', 'building', 'unit'] } })
        .session(session)
        .lean<PlaceNode[]>();
      // Nodes by their path of names under the community: 'estate', 'estate/building', 'estate/building/unit'.
      const byId = new Map(existing.map((n) => [String(n._id), n]));
      const keyOf = (node: PlaceNode): string => {
        const parent = node.parentId ? byId.get(String(node.parentId)) : undefined;
        return parent ? `${keyOf(parent)}/${node.name}` : node.name;
      };
      const byKey = new Map(existing.map((n) => [keyOf(n), n]));
      const created = { estates: 0, buildings: 0, units: 0, households: 0, grids: 0 };
      const fresh: PlaceNode[] = [];

      const ensure = (
        kind: 'estate' | 'building' | 'unit',
        key: string,
        name: string,
        parent: PlaceNode,
      ): PlaceNode => {
        const found = byKey.get(key);
        if (found) return found;
        const node = {
          _id: new Types.ObjectId(),
          kind,
          name,
          parentId: parent._id,
          ancestors: [...parent.ancestors, parent._id],
          communityId,
        } as PlaceNode;
        byKey.set(key, node);
        fresh.push(node);
        created[`${kind}s` as const] += 1;
        return node;
      };

      const unitOf = households.map((h) => {
        const estate = ensure('estate', h.estate, h.estate, community);
        const building = ensure('building', `${h.estate}/${h.building}`, h.building, estate);
        return ensure('unit', `${h.estate}/${h.building}/${h.unit}`, h.unit, building);
      });

      const gridProblems: ImportProblem[] = [];
      const gridBuildings = grids.map((grid, i) =>
        grid.buildings.flatMap((ref) => {
          const building = byKey.get(ref.trim());
          if (building?.kind === 'building') return [building._id];
          gridProblems.push({ path: `grids[${i}]`, message: `网格"${grid.name}"中的楼栋"${ref}"不存在` });
          return [];
        }),
      );
      if (gridProblems.length > 0) throw new ImportInvalidError(gridProblems);

      if (fresh.length > 0) await models.Node.insertMany(fresh, { session });

      const current = await models.Household.find(
        { communityId, unitId: { $in: [...new Set(unitOf.map((u) => u._id))] } },
        { unitId: 1, room: 1, floor: 1, areaHundredths: 1, members: 1 },
      )
        .session(session)
        .lean();
      const currentByKey = new Map(current.map((h) => [`${h.unitId}/${h.room}`, h]));
      const inserts: object[] = [];
      const updates: { updateOne: { filter: object; update: object } }[] = [];
      let unchangedHouseholds = 0;
      const membersOfUpdated: Types.ObjectId[] = [];
      households.forEach((h, i) => {
        const unit = unitOf[i]!;
        const found = currentByKey.get(`${unit._id}/${h.room}`);
        if (!found) {
          inserts.push({
            communityId,
            unitId: unit._id,
            ancestors: [...unit.ancestors, unit._id],
            room: h.room,
            floor: h.floor,
            areaHundredths: h.areaHundredths,
          });
        } else if (found.floor !== h.floor || found.areaHundredths !== h.areaHundredths) {
          membersOfUpdated.push(...found.members.map((m) => m.userId));
          updates.push({
            updateOne: {
              filter: { _id: found._id, communityId },
              update: { $set: { floor: h.floor, areaHundredths: h.areaHundredths } },
            },
          });
        } else {
          unchangedHouseholds += 1;
        }
      });
      if (inserts.length > 0) await models.Household.insertMany(inserts, { session });
      if (updates.length > 0) await models.Household.bulkWrite(updates, { session });
      await actors?.changed(membersOfUpdated, session);
      created.households = inserts.length;

      for (const [i, grid] of grids.entries()) {
        const result = await models.Grid.updateOne(
          { communityId, name: grid.name.trim() },
          { $set: { buildingIds: gridBuildings[i] } },
          { upsert: true, session },
        );
        created.grids += result.upsertedCount;
      }
      return { created, updatedHouseholds: updates.length, unchangedHouseholds };
    });
  };
}
