import type { Role } from '../../shared/roles';
import type {
  ApiKeyView,
  CreateCategoryBody,
  ImportPreview,
  IssuedKey,
  Resident,
  StreetFigures,
} from '../../shared/schemas/manage';
import type { PersonSummary } from '../../shared/schemas/people';
import type { GridView, ImportResult } from '../../shared/schemas/places';
import type { CategoryChanges, CategoryView } from '../../shared/schemas/reports';
import { request } from './api';

export interface GrantOnNode {
  id: string;
  role: Role;
  user: PersonSummary;
}

/**
 * A CSV file goes as a JSON string: wx.request always declares JSON and sends a string body as it is, and the
 * import routes read a string body as CSV (rows numbered as the file numbers them).
 */
const csvBody = (csv: string) => JSON.stringify(csv);

/** 管理: roles on places, grids, report categories, structure imports, Open311 keys, the street's comparison. */
export const manageApi = {
  roles: (nodeId: string) => request<GrantOnNode[]>('GET', `/nodes/${nodeId}/roles`),
  grant: (nodeId: string, userId: string, role: Role) =>
    request<GrantOnNode>('POST', `/nodes/${nodeId}/roles`, { body: { userId, role } }),
  revoke: (grantId: string) => request<null>('DELETE', `/role-grants/${grantId}`),
  residents: (nodeId: string) => request<Resident[]>('GET', `/nodes/${nodeId}/residents`),
  grids: (communityId: string) => request<GridView[]>('GET', `/nodes/${communityId}/grids`),
  addWorker: (gridId: string, userId: string) =>
    request<GrantOnNode>('POST', `/grids/${gridId}/workers`, { body: { userId } }),
  createCategory: (communityId: string, body: CreateCategoryBody) =>
    request<CategoryView>('POST', `/communities/${communityId}/report-categories`, { body }),
  updateCategory: (communityId: string, code: string, changes: CategoryChanges) =>
    request<CategoryView>('PATCH', `/communities/${communityId}/report-categories/${code}`, { body: changes }),
  previewImport: (communityId: string, csv: string) =>
    request<ImportPreview>('POST', `/nodes/${communityId}/import/preview`, { body: csvBody(csv) }),
  importCsv: (communityId: string, csv: string) =>
    request<ImportResult>('POST', `/nodes/${communityId}/import`, { body: csvBody(csv) }),
  keys: (communityId: string) => request<ApiKeyView[]>('GET', '/open311/keys', { query: { communityId } }),
  issueKey: (communityId: string, name: string) =>
    request<IssuedKey>('POST', '/open311/keys', { body: { communityId, name } }),
  revokeKey: (id: string) => request<null>('DELETE', `/open311/keys/${id}`),
  streetFigures: (streetId: string, range: { from: string; to: string }) =>
    request<StreetFigures>('GET', `/streets/${streetId}/report-figures`, { query: range }),
};
