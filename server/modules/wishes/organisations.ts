import { randomInt } from 'node:crypto';
import { ErrorCode } from '../../../shared/errors';
import { maskName, maskPhone } from '../../../shared/masking';
import type { CreateOrganisationBody, OrganisationView } from '../../../shared/schemas/wishes';
import { inScope } from '../../data/tenant-scope';
import { AppError, ConflictError, NotFoundError } from '../../errors';
import type { Actor } from '../roles/access';
import type { WishDeps } from './context';
import type { WishOrganisation } from './model';

const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const CODE_LENGTH = 6;
const newJoinCode = () => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(36)]).join('');

/**
 * Registered organisations (爱心组织): staff add one with its contact and get a six-character join code; a
 * member enters the code (a capability, like an invite code) and may then claim wishes in its name.
 */
export function createOrganisations(deps: Pick<WishDeps, 'models' | 'access'>) {
  const { models, access } = deps;

  function view(actor: Actor, o: WishOrganisation, staff: boolean): OrganisationView {
    return {
      id: String(o._id),
      name: o.name,
      contactName: staff ? o.contactName : maskName(o.contactName),
      contactPhone: staff ? o.contactPhone : maskPhone(o.contactPhone),
      members: o.members.length,
      isMember: o.members.some((m) => m.equals(actor.userId)),
      joinCode: staff ? o.joinCode : null,
      canManage: staff,
    };
  }

  async function community(actor: Actor, communityId: string) {
    const node = await access.findNode(actor, communityId);
    if (node.kind !== 'community') throw new NotFoundError('No such community');
    return { node, staff: access.can(actor, 'wish.review', node) };
  }

  async function list(actor: Actor, communityId: string): Promise<{ items: OrganisationView[] }> {
    const { node, staff } = await community(actor, communityId);
    const found = await models.WishOrganisation.find({ communityId: node._id })
      .sort({ name: 1 })
      .lean<WishOrganisation[]>();
    return { items: found.map((o) => view(actor, o, staff)) };
  }

  async function create(actor: Actor, communityId: string, body: CreateOrganisationBody): Promise<OrganisationView> {
    const node = await access.authorize(actor, 'wish.review', communityId);
    if (node.kind !== 'community') throw new NotFoundError('No such community');
    // A code already taken (one in 36⁶) or a name the community already has are both unique-index errors.
    for (let attempt = 0; ; attempt += 1) {
      try {
        const created = await models.WishOrganisation.create({
          communityId: node._id,
          name: body.name.trim(),
          contactName: body.contactName,
          contactPhone: body.contactPhone,
          joinCode: newJoinCode(),
          createdBy: actor.userId,
        });
        return view(actor, created.toObject<WishOrganisation>(), true);
      } catch (err) {
        const e = err as { code?: number; keyPattern?: Record<string, unknown> };
        if (e.code !== 11000) throw err;
        if (!e.keyPattern?.joinCode || attempt >= 3)
          throw new ConflictError('The community already has an organisation of that name');
      }
    }
  }

  /** Joins the organisation whose code this is, in one of the caller's communities. */
  async function join(actor: Actor, code: string): Promise<OrganisationView> {
    const joined = await models.WishOrganisation.findOneAndUpdate(
      { joinCode: code, ...inScope(actor.scope) },
      { $addToSet: { members: actor.userId } },
      { returnDocument: 'after' },
    ).lean<WishOrganisation>();
    if (!joined) throw new AppError(404, ErrorCode.ORGANISATION_CODE_INVALID, 'No organisation has this code');
    return view(actor, joined, access.can(actor, 'wish.review', { _id: joined.communityId, ancestors: [] }));
  }

  return { list, create, join };
}
export type Organisations = ReturnType<typeof createOrganisations>;
