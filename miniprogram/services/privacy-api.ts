import type {
  ConsentList,
  ConsentView,
  DeletionResult,
  ExportView,
  PrivacyAcceptance,
  PrivacyPolicyView,
} from '../../shared/schemas/privacy';
import { DELETION_CONFIRMATION } from '../../shared/privacy';
import type { Me } from '../../shared/schemas/people';
import { request } from './api';

/** 隐私与授权: every endpoint the privacy pages call, typed by shared/schemas/privacy.ts. */
export const privacyApi = {
  /** The policy in force with the configured retention (public). */
  policy: () => request<PrivacyPolicyView>('GET', '/privacy-policy'),
  accept: (version: string) => request<PrivacyAcceptance>('POST', '/me/privacy-acceptance', { body: { version } }),
  consents: () => request<ConsentList>('GET', '/me/consents'),
  revokeConsent: (id: string) => request<ConsentView>('POST', `/me/consents/${id}/revoke`),
  requestExport: () => request<ExportView>('POST', '/me/exports'),
  exportState: (id: string) => request<ExportView>('GET', `/me/exports/${id}`),
  /** The archive's path under /api (a zip, with the session's token). */
  exportDownloadPath: (id: string) => `/me/exports/${id}/download`,
  /** Correcting one's own 称呼 or phone (PIPL Art. 46): PATCH /me with what changed. */
  updateProfile: (body: { displayName?: string; phone?: string }) => request<Me>('PATCH', '/me', { body }),
  deleteAccount: () => request<DeletionResult>('POST', '/me/deletion', { body: { confirm: DELETION_CONFIRMATION } }),
};
