/**
 * What the `@fstore/client` package exports: the client, its error, and the types of every request
 * and answer, taken from the same TypeBox schemas the service validates with (the contract).
 */
export * from './client.js';
// The client's own shapes of these two queries (optional fields as callers write them) win over the wire's.
export type { PreviewQuery, QualityQuery } from './client.js';
export type * from '../domain/schemas.js';
export type * from './connections.js';
export type * from './definitions.js';
export type * from './jobs.js';
export type * from './keys.js';
export type * from './monitoring.js';
export type * from './offline-export.js';
export type * from './profile.js';
export type * from './registry-queries.js';
export type * from './serving.js';
export type * from './streaming.js';
export type * from './transforms.js';
export type { ErrorBody, ErrorCode } from '../errors.js';
