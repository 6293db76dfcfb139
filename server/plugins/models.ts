import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Connection } from 'mongoose';
import { eventModel } from '../modules/audit/model';
import { refreshTokenModel, sessionModel } from '../modules/auth/model';
import { noticeModel, noticeReadModel } from '../modules/channels/model';
import { jobModel } from '../modules/jobs/model';
import { inviteModel, joinRequestModel } from '../modules/join/model';
import { mediaModel } from '../modules/media/model';
import { moderationCaseModel } from '../modules/moderation/model';
import { apiClientModel } from '../modules/open311/model';
import { consentModel, deliveryModel, notificationModel } from '../modules/notifications/model';
import { userModel } from '../modules/people/model';
import { consentRecordModel, dataExportModel, policyAcceptanceModel } from '../modules/privacy/model';
import { gridModel, householdModel, nodeModel } from '../modules/places/model';
import { categoryModel, overdueModel, reportModel } from '../modules/reports/model';
import { figureDayModel, figureValuesModel } from '../modules/reports/rollups';
import {
  deliberationSettingsModel,
  topicCommentModel,
  topicModel,
  topicRatingModel,
  topicVoteModel,
} from '../modules/deliberation/model';
import { roleGrantModel } from '../modules/roles/model';
import {
  boardCorrectionModel,
  boardEntryModel,
  boardLineModel,
  boardPointsModel,
  boardSettingsModel,
  boardSnapshotModel,
} from '../modules/boards/model';
import {
  activityModel,
  ledgerModel,
  volunteerModel,
  volunteerOrderModel,
  volunteerSettingsModel,
} from '../modules/volunteers/model';
import { wishMessageModel, wishModel, wishOrganisationModel, wishSettingsModel } from '../modules/wishes/model';

/** Every mongoose model, bound to this app's own connection. */
export function createModels(connection: Connection) {
  return {
    User: userModel(connection),
    PrivacyConsent: consentRecordModel(connection),
    PolicyAcceptance: policyAcceptanceModel(connection),
    DataExport: dataExportModel(connection),
    Session: sessionModel(connection),
    RefreshToken: refreshTokenModel(connection),
    Node: nodeModel(connection),
    Household: householdModel(connection),
    Grid: gridModel(connection),
    RoleGrant: roleGrantModel(connection),
    Invite: inviteModel(connection),
    JoinRequest: joinRequestModel(connection),
    Notice: noticeModel(connection),
    NoticeRead: noticeReadModel(connection),
    Event: eventModel(connection),
    Job: jobModel(connection),
    Media: mediaModel(connection),
    ModerationCase: moderationCaseModel(connection),
    Notification: notificationModel(connection),
    SubscribeConsent: consentModel(connection),
    Delivery: deliveryModel(connection),
    Report: reportModel(connection),
    ReportOverdue: overdueModel(connection),
    ReportCategory: categoryModel(connection),
    ReportFigureDay: figureDayModel(connection),
    ReportFigureValues: figureValuesModel(connection),
    Open311Client: apiClientModel(connection),
    Topic: topicModel(connection),
    TopicComment: topicCommentModel(connection),
    TopicVote: topicVoteModel(connection),
    TopicRating: topicRatingModel(connection),
    DeliberationSettings: deliberationSettingsModel(connection),
    Volunteer: volunteerModel(connection),
    VolunteerOrder: volunteerOrderModel(connection),
    HoursEntry: ledgerModel(connection),
    VolunteerActivity: activityModel(connection),
    VolunteerSettings: volunteerSettingsModel(connection),
    Wish: wishModel(connection),
    WishSettings: wishSettingsModel(connection),
    WishOrganisation: wishOrganisationModel(connection),
    WishMessage: wishMessageModel(connection),
    BoardEntry: boardEntryModel(connection),
    BoardSettings: boardSettingsModel(connection),
    BoardPoints: boardPointsModel(connection),
    BoardLine: boardLineModel(connection),
    BoardSnapshot: boardSnapshotModel(connection),
    BoardCorrection: boardCorrectionModel(connection),
  };
}
export type Models = ReturnType<typeof createModels>;

declare module 'fastify' {
  interface FastifyInstance {
    models: Models;
  }
}

/** Binds the models and builds their indexes before the app serves (unique indexes guard invariants). */
export default fp(
  async function models(app: FastifyInstance) {
    const all = createModels(app.db.connection);
    await Promise.all(Object.values(all).map((model) => model.init()));
    app.decorate('models', all);
  },
  { name: 'models', dependencies: ['database'] },
);
