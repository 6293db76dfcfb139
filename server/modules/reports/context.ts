import type { FastifyBaseLogger } from 'fastify';
import type { Connection } from 'mongoose';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { JobRunner } from '../jobs/runner';
import type { MediaService } from '../media/service';
import type { Moderation } from '../moderation/service';
import type { Notifier } from '../notifications/service';
import type { Access } from '../roles/access';
import type { Categories } from './categories';

/** What the report service is built from; each part of it (filing, moves, lists…) takes these. */
export interface ReportDeps {
  connection: Connection;
  models: Pick<Models, 'Report' | 'ReportOverdue' | 'Node' | 'Grid' | 'Household' | 'RoleGrant' | 'User'>;
  access: Access;
  categories: Categories;
  moderation: Pick<Moderation, 'screenText' | 'afterCreate'>;
  media: Pick<MediaService, 'views' | 'find' | 'viewsOf' | 'attach' | 'attachFor'>;
  audit: Pick<Audit, 'record'>;
  notifier: Pick<Notifier, 'notify'>;
  jobs: Pick<JobRunner, 'schedule' | 'cancel'>;
  now: () => Date;
  log: FastifyBaseLogger;
}
