/** Reported by /health and the OpenAPI document; package.json's version, set with `npm run set-version` (service/test/version-sources.test.ts). */
export const SERVICE_VERSION = '0.1.0';
