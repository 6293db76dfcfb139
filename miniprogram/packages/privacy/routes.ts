const root = '/packages/privacy';

/** 隐私与授权: the policy, my consents, my data (export and closing the account), my profile (correcting it). */
export const privacyRoutes = {
  policy: `${root}/policy/index`,
  consents: `${root}/consents/index`,
  data: `${root}/data/index`,
  profile: `${root}/profile/index`,
} as const;
