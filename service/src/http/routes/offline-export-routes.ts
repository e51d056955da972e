import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from 'typebox';
import { OfflineExportQuery } from '@shared/api/offline-export.js';
import type { AppContext } from '../../app-context.js';
import type { TypedApp } from './typed-app.js';

const MEDIA = { parquet: 'application/vnd.apache.parquet', csv: 'text/csv; charset=utf-8' } as const;

/** A snapshot of a feature group's offline table, for notebooks, BI tools and Spark (docs/offline-store.md). */
export function registerOfflineExportRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/feature-groups/:name/offline',
    {
      schema: {
        tags: ['Feature groups', 'Training'],
        summary: "Download a snapshot of a group's offline table (Parquet or CSV)",
        description:
          'One row per (entity_key, event_time) of the history, each holding every feature of the group as of that time (its newest value at or before it), ordered by key and time: the view `fstore_features.<group>` of docs/offline-store.md. `carried_times=true` adds `ingested_at` and, per feature, the event time a carried value was written at (NULL when written in that row), which TTL checks need.',
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
        querystring: OfflineExportQuery,
      },
    },
    async (req, reply) => {
      const { name } = req.params;
      const { format = 'parquet', carried_times: carriedTimes = false } = req.query;
      await ctx.registry.get('feature_group', name); // 404 for an unknown group
      const path = join(ctx.tmpDir, `offline-${randomUUID()}.${format}`);
      try {
        await ctx.stores.offline.exportGroup(name, { path, format }, { carriedTimes });
      } catch (err) {
        await rm(path, { force: true });
        throw err;
      }
      const stream = createReadStream(path);
      stream.on('close', () => void rm(path, { force: true }));
      return reply.type(MEDIA[format]).header('content-disposition', `attachment; filename="${name}.${format}"`).send(stream);
    },
  );
}
