import type { ClientSession, Connection, Types } from 'mongoose';
import {
  CONSENT_KIND_ITEM,
  CONSENT_KIND_LABELS,
  PRIVACY_POLICY_VERSION,
  type ConsentItemKind,
  type ConsentKind,
} from '../../../shared/privacy';
import type { ConsentView } from '../../../shared/schemas/privacy';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { Actor } from '../roles/access';
import type { ConsentRecord, ConsentRecordModel } from './model';

export interface ConsentChange {
  userId: Types.ObjectId;
  communityId: Types.ObjectId;
  kind: ConsentKind;
  itemId: Types.ObjectId;
  /** Given (true) or withheld/revoked (false) as the item's flag now says. */
  granted: boolean;
  at: Date;
}

/**
 * The one helper every module calls where it records a separate consent on an item (a report's `showName`, a
 * wish's `showMaskedName`, a claim's `showName`, a board entry's `consent`), in the same transaction when there
 * is one. Giving: a new record under the policy version in force, unless one already stands. Withholding or
 * revoking: the standing record (if any) is marked revoked. Withholding with nothing standing records nothing.
 */
export async function recordConsent(
  connection: Connection,
  change: ConsentChange,
  session?: ClientSession,
): Promise<void> {
  // Bound by the models plugin on this connection: modules pass the connection they already hold.
  const model = connection.model('PrivacyConsent') as unknown as ConsentRecordModel;
  const standing = { userId: change.userId, kind: change.kind, itemId: change.itemId, revokedAt: null };
  if (!change.granted) {
    await model.updateMany(standing, { $set: { revokedAt: change.at } }, { session });
    return;
  }
  const exists = await model.exists(standing).session(session ?? null);
  if (exists) return;
  await model.create(
    [
      {
        userId: change.userId,
        communityId: change.communityId,
        kind: change.kind,
        itemKind: CONSENT_KIND_ITEM[change.kind],
        itemId: change.itemId,
        version: PRIVACY_POLICY_VERSION,
        grantedAt: change.at,
      },
    ],
    { session },
  );
}

const TITLE_LENGTH = 30;
const short = (text: string | null | undefined) => {
  const chars = [...(text ?? '').trim()];
  return chars.length > TITLE_LENGTH ? `${chars.slice(0, TITLE_LENGTH).join('')}…` : chars.join('');
};

/** 我的授权: the caller's consents, and revoking one (the item's own flag flips with it). */
export function createConsents(deps: {
  models: Pick<Models, 'PrivacyConsent' | 'Report' | 'Wish' | 'BoardEntry' | 'User'>;
  audit: Pick<Audit, 'record'>;
  connection: { transaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> };
  now: () => Date;
}) {
  const { models } = deps;

  /** The short text of each item the records are about, read across communities (they are the caller's own). */
  async function titlesOf(records: ConsentRecord[]): Promise<Map<string, string>> {
    const ids = (kind: ConsentItemKind) => records.filter((r) => r.itemKind === kind).map((r) => r.itemId);
    const [reports, wishes, entries] = await Promise.all([
      models.Report.find({ _id: { $in: ids('report') } }, { description: 1 })
        .setOptions(CROSS_COMMUNITY)
        .lean(),
      models.Wish.find({ _id: { $in: ids('wish') } }, { text: 1 })
        .setOptions(CROSS_COMMUNITY)
        .lean(),
      models.BoardEntry.find({ _id: { $in: ids('board_entry') } }, { description: 1, actLabel: 1 })
        .setOptions(CROSS_COMMUNITY)
        .lean(),
    ]);
    const titles = new Map<string, string>();
    for (const r of reports) titles.set(String(r._id), short(r.description));
    for (const w of wishes) titles.set(String(w._id), short(w.text));
    for (const e of entries as { _id: Types.ObjectId; description?: string; actLabel?: string }[])
      titles.set(String(e._id), short(e.description || e.actLabel));
    return titles;
  }

  function view(record: ConsentRecord, titles: Map<string, string>): ConsentView {
    return {
      id: String(record._id),
      kind: record.kind as ConsentKind,
      itemKind: record.itemKind as ConsentItemKind,
      itemId: String(record.itemId),
      title: titles.get(String(record.itemId)) || CONSENT_KIND_LABELS[record.kind as ConsentKind].title,
      granted: !record.revokedAt,
      grantedAt: record.grantedAt.toISOString(),
      revokedAt: record.revokedAt ? record.revokedAt.toISOString() : null,
      version: record.version,
    };
  }

  async function list(actor: Actor): Promise<{ items: ConsentView[] }> {
    const records = await models.PrivacyConsent.find({ userId: actor.userId })
      .sort({ grantedAt: -1, _id: -1 })
      .limit(500)
      .lean<ConsentRecord[]>();
    const titles = await titlesOf(records);
    return { items: records.map((r) => view(r, titles)) };
  }

  /**
   * Withdraws the item's flag for this person, in one transaction with the record's revocation and an audit
   * event on the item. Each condition names the person, so nobody's revocation reaches another's consent.
   */
  async function withdrawOnItem(record: ConsentRecord, session: ClientSession): Promise<void> {
    const scope = { _id: record.itemId, communityId: record.communityId };
    const userId = record.userId;
    let nodeId: Types.ObjectId | null = null;
    switch (record.kind as ConsentKind) {
      case 'report_name': {
        const r = await models.Report.findOneAndUpdate(
          { ...scope, reporterId: userId },
          { $set: { showName: false } },
          { session, projection: { nodeId: 1 } },
        ).lean();
        nodeId = r?.nodeId ?? null;
        break;
      }
      case 'wish_beneficiary_name': {
        const w = await models.Wish.findOneAndUpdate(
          { ...scope, postedBy: userId },
          { $set: { showMaskedName: false } },
          { session, projection: { nodeId: 1 } },
        ).lean();
        nodeId = w?.nodeId ?? null;
        break;
      }
      case 'wish_claimant_name': {
        const w = await models.Wish.findOne(scope, { claim: 1, claims: 1, nodeId: 1 }).session(session).lean();
        if (w) {
          const set: Record<string, unknown> = {};
          if (w.claim?.userId?.equals(userId)) set['claim.showName'] = false;
          if (w.claims.some((c) => c.userId.equals(userId)))
            set.claims = w.claims.map((c) => (c.userId.equals(userId) ? { ...c, showName: false } : c));
          if (Object.keys(set).length > 0) await models.Wish.updateOne(scope, { $set: set }, { session });
          nodeId = w.nodeId;
        }
        break;
      }
      case 'board_name': {
        const e = await models.BoardEntry.findOneAndUpdate(
          { ...scope, subjectUserId: userId },
          { $set: { consent: false }, $inc: { version: 1 } },
          { session, projection: { nodeId: 1, state: 1 } },
        ).lean();
        nodeId = (e as { nodeId?: Types.ObjectId } | null)?.nodeId ?? null;
        break;
      }
    }
    await deps.audit.record(
      {
        communityId: record.communityId,
        itemKind: record.itemKind,
        itemId: record.itemId,
        nodeId,
        action: 'revoke_consent',
        actorId: userId,
        actorRole: 'subject',
        note: record.kind,
      },
      session,
    );
  }

  /** POST /me/consents/:id/revoke: idempotent; 404 for anyone else's record. */
  async function revoke(actor: Actor, id: string): Promise<ConsentView> {
    const record = await models.PrivacyConsent.findOne({ _id: id, userId: actor.userId }).lean<ConsentRecord>();
    if (!record) throw new NotFoundError('No such consent');
    if (!record.revokedAt) {
      await deps.connection.transaction(async (session) => {
        const at = deps.now();
        const done = await models.PrivacyConsent.updateOne(
          { _id: record._id, revokedAt: null },
          { $set: { revokedAt: at } },
          { session },
        );
        if (done.modifiedCount === 1) await withdrawOnItem(record, session);
      });
    }
    const after = await models.PrivacyConsent.findById(record._id).lean<ConsentRecord>();
    return view(after!, await titlesOf([after!]));
  }

  /** Every standing consent of a person withdrawn (account deletion). */
  async function revokeAll(userId: Types.ObjectId): Promise<void> {
    const standing = await models.PrivacyConsent.find({ userId, revokedAt: null }).lean<ConsentRecord[]>();
    for (const record of standing) {
      await deps.connection.transaction(async (session) => {
        await models.PrivacyConsent.updateOne(
          { _id: record._id, revokedAt: null },
          { $set: { revokedAt: deps.now() } },
          { session },
        );
        await withdrawOnItem(record, session);
      });
    }
  }

  return { list, revoke, revokeAll };
}
export type Consents = ReturnType<typeof createConsents>;
