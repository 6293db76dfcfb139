import { createHash, randomBytes } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import { inScope } from '../../data/tenant-scope';
import { BadRequestError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { Access, Actor } from '../roles/access';
import type { ApiClient, ApiClientModel } from './model';
import type { ApiKeyView } from './schemas';

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Whom a report filed through an API client is filed by: the client's system user, acting in its community
 * only. It holds no roles, so it sees and moves nothing but what it filed.
 */
export function clientActor(client: Pick<ApiClient, '_id' | 'userId' | 'name' | 'communityId'>): Actor {
  return {
    userId: client.userId,
    sessionId: `open311:${client._id}`,
    displayName: client.name,
    grants: [],
    effective: [],
    scope: { communityIds: [client.communityId] },
  };
}

/**
 * Open311 API keys: community staff issue one per external system (a city hotline) and may revoke it.
 * Staff rights are those over the community's report categories — the same people who decide how reports
 * are handled decide who may file them from outside.
 */
export function createApiClients(deps: {
  connection: Connection;
  model: ApiClientModel;
  models: Pick<Models, 'User'>;
  access: Pick<Access, 'authorize'>;
  audit: Pick<Audit, 'record'>;
  now: () => Date;
}) {
  const { model } = deps;

  function view(client: ApiClient): ApiKeyView {
    return {
      id: String(client._id),
      name: client.name,
      createdAt: client.createdAt.toISOString(),
      lastUsedAt: client.lastUsedAt?.toISOString() ?? null,
      revokedAt: client.revokedAt?.toISOString() ?? null,
    };
  }

  async function community(actor: Actor, communityId: string) {
    const node = await deps.access.authorize(actor, 'report.categories', communityId);
    if (node.kind !== 'community') throw new BadRequestError('Keys are issued for a community');
    return node;
  }

  /** A new key with its own system user; the key itself is returned this once. */
  async function issue(actor: Actor, communityId: string, name: string) {
    const node = await community(actor, communityId);
    const _id = new Types.ObjectId();
    const key = randomBytes(32).toString('base64url');
    await deps.connection.transaction(async (session) => {
      const [user] = await deps.models.User.create([{ openid: `open311:${_id}`, displayName: name }], { session });
      await model.create(
        [{ _id, communityId: node._id, name, keyHash: hashOf(key), userId: user!._id, createdBy: actor.userId }],
        { session },
      );
      await deps.audit.record(
        {
          communityId: node._id,
          itemKind: 'open311-client',
          itemId: _id,
          nodeId: node._id,
          action: 'issue',
          actorId: actor.userId,
          note: name,
        },
        session,
      );
    });
    return { id: String(_id), name, key };
  }

  async function list(actor: Actor, communityId: string): Promise<ApiKeyView[]> {
    const node = await community(actor, communityId);
    return (await model.find({ communityId: node._id }).sort({ createdAt: -1 }).lean<ApiClient[]>()).map(view);
  }

  /** Revokes a key at once; revoking one already revoked changes nothing. */
  async function revoke(actor: Actor, id: string): Promise<void> {
    const client = Types.ObjectId.isValid(id)
      ? await model.findOne({ _id: id, ...inScope(actor.scope) }).lean<ApiClient>()
      : null;
    if (!client) throw new NotFoundError('No such API key');
    await deps.access.authorize(actor, 'report.categories', client.communityId);
    await deps.connection.transaction(async (session) => {
      const result = await model.updateOne(
        { _id: client._id, communityId: client.communityId, revokedAt: null },
        { $set: { revokedAt: deps.now() } },
        { session },
      );
      if (result.modifiedCount === 0) return;
      await deps.audit.record(
        {
          communityId: client.communityId,
          itemKind: 'open311-client',
          itemId: client._id,
          nodeId: client.communityId,
          action: 'revoke',
          actorId: actor.userId,
          note: client.name,
        },
        session,
      );
    });
  }

  /** The live client holding `key` in this community, or null (unknown, revoked, or another community's). */
  async function authenticate(communityId: Types.ObjectId, key: string): Promise<ApiClient | null> {
    const client = await model
      .findOneAndUpdate(
        { communityId, keyHash: hashOf(key), revokedAt: null },
        { $set: { lastUsedAt: deps.now() } },
        { returnDocument: 'after' },
      )
      .lean<ApiClient>();
    return client ?? null;
  }

  return { issue, list, revoke, authenticate };
}
export type ApiClients = ReturnType<typeof createApiClients>;
