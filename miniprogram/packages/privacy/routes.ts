const root = '/packages/privacy';

/** 隐私与授权: the policy, my consents, my data (export and closing the account). */
export const privacyRoutes = {
  policy: `${root}/policy/index`,
  consents: `${root}/consents/index`,
  data: `${root}/data/index`,
} as const;
