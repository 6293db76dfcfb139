import type { Model, Types } from 'mongoose';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Actor } from '../roles/access';

/**
 * The kinds of user-generated item moderation knows how to handle: where their text, photos, author and
 * place are. A module adds its item kind here; the moderation queue, flags and timelines then work for it.
 */
export interface ModeratedKind {
  model: Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each kind has its own document type
  /** Fields holding user text that staff may edit or redact. */
  textFields: string[];
  mediaField?: string;
  authorField: string;
  /** The node the item lives on; permissions are checked against it. */
  nodeField: string;
}

export function moderatedKinds(
  models: Pick<Models, 'Notice' | 'Report' | 'Topic' | 'TopicComment' | 'VolunteerOrder' | 'Wish' | 'BoardEntry'>,
): Record<string, ModeratedKind> {
  return {
    notice: {
      model: models.Notice,
      textFields: ['title', 'body'],
      mediaField: 'mediaIds',
      authorField: 'authorId',
      nodeField: 'channelId',
    },
    report: {
      model: models.Report,
      textFields: ['description'],
      mediaField: 'mediaIds',
      authorField: 'reporterId',
      nodeField: 'nodeId',
    },
    topic: {
      model: models.Topic,
      textFields: ['title', 'text'],
      mediaField: 'mediaIds',
      authorField: 'authorId',
      nodeField: 'nodeId',
    },
    topic_comment: {
      model: models.TopicComment,
      textFields: ['text'],
      authorField: 'authorId',
      nodeField: 'nodeId',
    },
    // A volunteer service order: the one who typed the description (a captain ordering for a neighbour) answers for it.
    order: {
      model: models.VolunteerOrder,
      textFields: ['description'],
      mediaField: 'mediaIds',
      authorField: 'orderedBy',
      nodeField: 'nodeId',
    },
    // A micro-wish: the one who posted it (a proxy recording it for a neighbour) answers for it. Its proof photos
    // hang off the same wish (fulfilment.mediaIds) and follow its rule.
    wish: {
      model: models.Wish,
      textFields: ['text'],
      mediaField: 'mediaIds',
      authorField: 'postedBy',
      nodeField: 'nodeId',
    },
    // A civility board nomination: its nominator answers for the description and the evidence photos.
    board_entry: {
      model: models.BoardEntry,
      textFields: ['description'],
      mediaField: 'mediaIds',
      authorField: 'nominatedBy',
      nodeField: 'nodeId',
    },
  };
}

/** The moderation-relevant parts of any moderated item, read generically. */
export interface ModeratedItem {
  _id: Types.ObjectId;
  communityId: Types.ObjectId;
  moderation?: { state: 'visible' | 'review' | 'hidden'; flaggedBy: Types.ObjectId[] };
  [field: string]: unknown;
}

/** How a module decides who sees one of its items: the one rule every verb on the item goes through. */
export interface ItemVisibility<T extends ModeratedItem = ModeratedItem> {
  /** The item, when the actor may see it now; NotFoundError otherwise (never 403: existence is not revealed). */
  find(actor: Actor, id: string): Promise<T>;
  /** Whether the actor handles the item (staff, its handlers): they see its photos before WeChat's check. */
  handles(actor: Actor, item: T): Promise<boolean> | boolean;
  /** Whether the item is public, for readers without a login (Open311 clients). Absent: never. */
  isPublic?(item: T): boolean;
}

/**
 * The registry of item kinds: what moderation needs to know of each (static) and, registered by the module
 * that owns the kind when it starts, who may see one. Photos, flags and the moderation queue ask it, so an
 * action on an item can never see more than reading the item would.
 */
export function createItems(kinds: Record<string, ModeratedKind>) {
  const rules = new Map<string, ItemVisibility>();

  /** The kind's description; a client-given kind name is looked up as an own key only. */
  function spec(kind: string): ModeratedKind {
    if (!Object.hasOwn(kinds, kind)) throw new NotFoundError('No such item');
    return kinds[kind]!;
  }

  function rule(kind: string): ItemVisibility {
    spec(kind);
    const found = rules.get(kind);
    if (!found) throw new NotFoundError('No such item');
    return found;
  }

  return {
    kinds,
    spec,
    define<T extends ModeratedItem>(kind: string, visibility: ItemVisibility<T>): void {
      spec(kind);
      rules.set(kind, visibility as unknown as ItemVisibility);
    },
    /** The item of `kind` the actor may see now, and whether they handle it; 404 otherwise. */
    async seen(actor: Actor, kind: string, id: string | Types.ObjectId) {
      const visibility = rule(kind);
      const item = await visibility.find(actor, String(id));
      return { spec: spec(kind), item, handling: await visibility.handles(actor, item) };
    },
    /** The item when it is public (anyone may see it without a login), else null. */
    async publicItem(kind: string, id: Types.ObjectId): Promise<ModeratedItem | null> {
      const visibility = rule(kind);
      if (!visibility.isPublic) return null;
      // A public reader belongs to no community: the item's own id is all that names it.
      const item = (await spec(kind)
        .model.findOne({ _id: id })
        .setOptions(CROSS_COMMUNITY)
        .lean()) as ModeratedItem | null;
      return item && visibility.isPublic(item) ? item : null;
    },
  };
}
export type Items = ReturnType<typeof createItems>;
