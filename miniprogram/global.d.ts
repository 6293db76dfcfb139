/** API origin baked in at build time (config/index.ts): '' on H5 (same origin), an absolute URL on weapp. */
declare const LINLI_API_BASE: string;

declare module '*.png' {
  const src: string;
  export default src;
}
