/** Reported by /health and the OpenAPI document; kept in step with package.json by a unit test. */
export const SERVICE_VERSION = '0.1.0';
