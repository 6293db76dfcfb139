import type { Model, Types } from 'mongoose';
import type { Models } from '../../plugins/models';

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

export function moderatedKinds(models: Pick<Models, 'Notice' | 'Report'>): Record<string, ModeratedKind> {
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
  };
}

/** The moderation-relevant parts of any moderated item, read generically. */
export interface ModeratedItem {
  _id: Types.ObjectId;
  communityId: Types.ObjectId;
  moderation?: { state: 'visible' | 'review' | 'hidden'; flaggedBy: Types.ObjectId[] };
  [field: string]: unknown;
}
