/** GET /api/feature-groups/{name}/offline: a snapshot of a group's offline table, as a file. */
import { Type, type Static } from 'typebox';

export const OfflineExportQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('parquet'), Type.Literal('csv')])), carried_times: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type OfflineExportQuery = Static<typeof OfflineExportQuery>;
