import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName, maskPhone } from '../../../shared/masking';
import { grantableOn, mayGrant, type Role } from '../../../shared/roles';
import { Id, IdParams } from '../../../shared/schemas/ids';
import { GrantRoleBody, PersonSummary, RoleName } from '../../../shared/schemas/people';
import { inScope } from '../../data/tenant-scope';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../errors';
import { errorResponses } from '../../http';
import type { PlaceNode } from '../places/model';
import { ancestryOf, type Actor } from './access';

const secured = { security: [{ bearer: [] }] };
const GrantView = Type.Object({ id: Id, role: RoleName, user: PersonSummary });

/** Granting and revoking roles on nodes, and grid workers on grids (staff). */
export const rolesRoutes: FastifyPluginAsyncTypebox = async function rolesRoutes(app) {
  app.addHook('onRequest', app.authenticate);

  /** Nobody grants or revokes a role ranked above their own on the place (community staff making themselves admin). */
  function checkRank(actor: Actor, role: Role, node: Pick<PlaceNode, '_id' | 'ancestors'>) {
    if (!mayGrant(actor.effective, role, ancestryOf(node))) {
      throw new ForbiddenError(`${role} ranks above your roles here`, ErrorCode.ROLE_ABOVE_RANK);
    }
  }

  async function people(userIds: Types.ObjectId[]) {
    const users = await app.models.User.find({ _id: { $in: userIds } }, { displayName: 1, phone: 1, badges: 1 }).lean();
    return new Map(
      users.map((u) => [
        String(u._id),
        {
          id: String(u._id),
          displayName: maskName(u.displayName),
          phoneMasked: u.phone ? maskPhone(u.phone) : null,
          badges: u.badges as PersonSummary['badges'],
        },
      ]),
    );
  }

  app.get(
    '/nodes/:id/roles',
    {
      schema: {
        tags: ['roles'],
        summary: 'Roles held on a place',
        ...secured,
        params: IdParams,
        response: { 200: Type.Array(GrantView), ...errorResponses },
      },
    },
    async function listRoles(request) {
      const node = await app.access.authorize(request.actor, 'role.grant', request.params.id);
      const grants = await app.models.RoleGrant.find({ nodeId: node._id, gridId: null }).sort({ role: 1 }).lean();
      const users = await people(grants.map((g) => g.userId));
      return grants.flatMap((g) => {
        const user = users.get(String(g.userId));
        return user ? [{ id: String(g._id), role: g.role as Role, user }] : [];
      });
    },
  );

  app.post(
    '/nodes/:id/roles',
    {
      schema: {
        tags: ['roles'],
        summary: 'Grant a role on a place (captains on units/buildings, property on estates, staff on communities)',
        ...secured,
        params: IdParams,
        body: GrantRoleBody,
        response: { 201: GrantView, ...errorResponses },
      },
    },
    async function grantRole(request, reply) {
      const node = await app.access.authorize(request.actor, 'role.grant', request.params.id);
      const { userId, role } = request.body;
      if (!grantableOn[role as Role]?.includes(node.kind)) {
        throw new BadRequestError(`${role} cannot be granted on a ${node.kind}`, ErrorCode.ROLE_NOT_GRANTABLE);
      }
      checkRank(request.actor, role as Role, node);
      if (!(await app.models.User.exists({ _id: userId }))) throw new NotFoundError('No such user');
      const grant = await app.models.RoleGrant.findOneAndUpdate(
        { userId: new Types.ObjectId(userId), role: role as Role, nodeId: node._id, gridId: null },
        { $setOnInsert: { communityId: node.communityId, grantedBy: request.actor.userId } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      await app.actors.changed([grant!.userId]);
      const user = (await people([grant!.userId])).get(userId)!;
      return reply.status(201).send({ id: String(grant!._id), role, user });
    },
  );

  app.delete(
    '/role-grants/:id',
    {
      schema: {
        tags: ['roles'],
        summary: 'Revoke a role',
        ...secured,
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async function revokeRole(request, reply) {
      const grant = await app.models.RoleGrant.findOne({
        _id: request.params.id,
        ...inScope(request.actor.scope),
      }).lean();
      if (!grant) throw new NotFoundError('No such role grant');
      const node = await app.access.authorize(request.actor, 'role.grant', grant.nodeId);
      checkRank(request.actor, grant.role as Role, node);
      await app.models.RoleGrant.deleteOne({ _id: grant._id });
      await app.actors.changed([grant.userId]);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/grids/:id/workers',
    {
      schema: {
        tags: ['roles'],
        summary: 'Make someone a grid worker of a grid',
        ...secured,
        params: IdParams,
        body: Type.Object({ userId: Id }),
        response: { 201: GrantView, ...errorResponses },
      },
    },
    async function addGridWorker(request, reply) {
      const grid = await app.models.Grid.findOne({ _id: request.params.id, ...inScope(request.actor.scope) }).lean();
      if (!grid) throw new NotFoundError('No such grid');
      const community = await app.access.authorize(request.actor, 'grid.manage', grid.communityId);
      checkRank(request.actor, 'grid_worker', community);
      if (!(await app.models.User.exists({ _id: request.body.userId }))) throw new NotFoundError('No such user');
      const grant = await app.models.RoleGrant.findOneAndUpdate(
        { userId: request.body.userId, role: 'grid_worker', nodeId: grid.communityId, gridId: grid._id },
        { $setOnInsert: { communityId: grid.communityId, grantedBy: request.actor.userId } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      await app.actors.changed([grant!.userId]);
      const user = (await people([grant!.userId])).get(request.body.userId)!;
      return reply.status(201).send({ id: String(grant!._id), role: 'grid_worker' as const, user });
    },
  );
};
