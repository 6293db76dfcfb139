import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import type { HouseholdRelation } from '../../shared/places';
import type { TopicView } from '../../shared/schemas/deliberation';
import { place } from './demo';
import { newcomer, type LoggedIn } from './session';

export const SUNSHINE_1 = ['幸福里社区', '阳光花园', '1栋'];

/** A new person living in `room` of a unit (as an approved join request would leave them). */
export async function resident(
  app: FastifyInstance,
  unit: string[],
  room: string,
  relation: HouseholdRelation = 'owner',
): Promise<LoggedIn> {
  const person = await newcomer(app);
  const node = await place(app, unit);
  const userId = new Types.ObjectId(person.me.id);
  const updated = await app.models.Household.updateOne(
    { communityId: node.communityId, unitId: node._id, room },
    { $push: { members: { userId, relation, joinedAt: new Date() } } },
  );
  if (updated.modifiedCount !== 1) throw new Error(`no room ${room} in ${unit.join('/')}`);
  await app.models.RoleGrant.create({ userId, role: 'resident', nodeId: node._id, communityId: node.communityId });
  return person;
}

/** Raises a topic as `who` and returns it. */
export async function raise(
  app: FastifyInstance,
  who: LoggedIn,
  nodeId: string,
  kind: TopicView['kind'] = 'public',
  title = '楼道加装扶手',
): Promise<TopicView> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/topics',
    headers: who.headers,
    payload: { nodeId, title, text: '老人上下楼不方便，建议在楼道加装扶手，费用从公共收益中列支。', kind },
  });
  if (res.statusCode !== 201) throw new Error(`raise failed: ${res.statusCode} ${res.body}`);
  return res.json<TopicView>();
}
