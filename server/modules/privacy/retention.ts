import type { Connection, Types } from 'mongoose';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import type { Models } from '../../plugins/models';
import { recordConsent } from './consents';
import type { Deletion } from './deletion';

export const RETENTION_JOB = 'privacy.retention';

/** The moment before which a report closed this many years ago is due for purging (calendar years, UTC). */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

/**
 * Retention of closed reports (shown in the privacy policy): `years` after a report was closed (or rejected:
 * its last change), its photos — the reporter's and the fix's — are deleted, files and records, and its
 * personal fields go: the exact location, the rating's comment, the followers, the name consent. What stays is
 * what the community's figures read: category, place in the matrix, states, deadlines and times, the score.
 * A report closed exactly `years` ago is purged (the bound is included).
 */
export function createRetention(deps: {
  models: Pick<Models, 'Report' | 'Media'>;
  connection: Connection;
  deletion: Pick<Deletion, 'deleteMedia'>;
  years: number;
  now: () => Date;
}) {
  const { models } = deps;

  async function purge(): Promise<number> {
    const now = deps.now();
    const cutoff = retentionCutoff(now, deps.years);
    let purged = 0;
    for (;;) {
      const due = await models.Report.find(
        {
          purgedAt: null,
          $or: [
            { state: 'closed', closedAt: { $lte: cutoff } },
            { state: 'rejected', updatedAt: { $lte: cutoff } },
          ],
        },
        { communityId: 1, reporterId: 1, mediaIds: 1, resolution: 1, showName: 1, rating: 1 },
      )
        .setOptions(CROSS_COMMUNITY)
        .limit(200)
        .lean();
      if (due.length === 0) return purged;
      const before = purged;
      for (const report of due) {
        const mediaIds: Types.ObjectId[] = [...report.mediaIds, ...(report.resolution?.mediaIds ?? [])];
        if (mediaIds.length > 0)
          await deps.deletion.deleteMedia({ communityId: report.communityId, _id: { $in: mediaIds } });
        const done = await models.Report.updateOne(
          { _id: report._id, communityId: report.communityId, purgedAt: null },
          {
            $set: {
              purgedAt: now,
              mediaIds: [],
              showName: false,
              followers: [],
              ...(report.resolution ? { 'resolution.mediaIds': [] } : {}),
            },
            $unset: { location: 1, ...(report.rating ? { 'rating.comment': 1 } : {}) },
          },
        );
        if (done.modifiedCount === 0) continue;
        if (report.showName)
          await recordConsent(deps.connection, {
            userId: report.reporterId,
            communityId: report.communityId,
            kind: 'report_name',
            itemId: report._id,
            granted: false,
            at: now,
          });
        purged += 1;
      }
      // Nothing of a batch could be purged (another instance is at it): leave the rest to the next run.
      if (purged === before) return purged;
    }
  }

  return { purge };
}
