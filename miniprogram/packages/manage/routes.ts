const manage = '/packages/manage';

/** Page paths of the 管理 console; `community` opens a page on that community (a street's comparison opens one). */
export const manageRoutes = {
  index: (community?: string) => `${manage}/index/index${community ? `?community=${community}` : ''}`,
  places: (community?: string) => `${manage}/places/index${community ? `?community=${community}` : ''}`,
  grids: (community?: string) => `${manage}/grids/index${community ? `?community=${community}` : ''}`,
  categories: (community?: string) => `${manage}/categories/index${community ? `?community=${community}` : ''}`,
  import: (community?: string) => `${manage}/import/index${community ? `?community=${community}` : ''}`,
  keys: (community?: string) => `${manage}/keys/index${community ? `?community=${community}` : ''}`,
} as const;
