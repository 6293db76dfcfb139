/** The inbox's page path, for the entries that open it (我的). */
export const inboxRoute = '/packages/inbox/index/index';
