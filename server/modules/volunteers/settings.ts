import type { Types } from 'mongoose';
import type { VolunteerSettings } from '../../../shared/schemas/volunteers';
import { DEFAULT_ACCEPT_TIMEOUT_MINUTES } from '../../../shared/volunteers';
import { BadRequestError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Access, Actor } from '../roles/access';

/** A community's volunteer settings: staff read and set them; dispatch reads the accept timeout each time. */
export function createVolunteerSettings(deps: { models: Pick<Models, 'VolunteerSettings'>; access: Access }) {
  const { models, access } = deps;

  async function of(communityId: Types.ObjectId): Promise<VolunteerSettings> {
    const found = await models.VolunteerSettings.findOne({ communityId }).lean();
    return { acceptTimeoutMinutes: found?.acceptTimeoutMinutes ?? DEFAULT_ACCEPT_TIMEOUT_MINUTES };
  }

  async function community(actor: Actor, communityId: string) {
    const node = await access.authorize(actor, 'volunteer.verify', communityId);
    if (node.kind !== 'community') throw new BadRequestError('Volunteer settings belong to a community');
    return node._id;
  }

  async function get(actor: Actor, communityId: string): Promise<VolunteerSettings> {
    return of(await community(actor, communityId));
  }

  /** Applies to dispatches from now on; an offer already made keeps its deadline. */
  async function save(actor: Actor, communityId: string, body: VolunteerSettings): Promise<VolunteerSettings> {
    const id = await community(actor, communityId);
    await models.VolunteerSettings.updateOne(
      { communityId: id },
      { $set: { acceptTimeoutMinutes: body.acceptTimeoutMinutes } },
      { upsert: true },
    );
    return of(id);
  }

  return { of, get, save };
}
export type VolunteerSettingsService = ReturnType<typeof createVolunteerSettings>;
