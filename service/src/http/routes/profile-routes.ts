import { Type } from 'typebox';
import { FeatureProfile, ProfileQuery } from '@shared/api/profile.js';
import type { AppContext } from '../../app-context.js';
import { featureProfile } from '../../monitoring/feature-profile.js';
import type { TypedApp } from './typed-app.js';

/** GET /api/features/{name}/profile: a feature's data at a glance, for its page in the UI. */
export function registerProfileRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/features/:name/profile',
    {
      schema: {
        tags: ['Features', 'Monitoring'],
        summary: "A feature's data profile: distribution, statistics, freshness, served values, source",
        description:
          'Numeric features (INT, FLOAT): a histogram on round bins from min to max; others: the most frequent values. Null rate (rows of the group without a value of the feature), distinct count, min/max/mean/std and percentiles, computed inside the offline store over the newest days of history holding about `max_values` values (`window.complete` is false when older history was left out); percentiles and distinct counts may be estimates on large windows. Freshness: the newest event time and the values with event times in the last 24 hours. `latest`: what online serving answers now for the most recently written keys. `ingestion`: the newest recorded ingestion (file job, file upload, JSON rows, SQL pull) that wrote the feature. A feature with no values yet has count 0 and `window` null. 404 FSTORE_FEATURE_NOT_FOUND for an unknown feature.',
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 63 }) }),
        querystring: ProfileQuery,
        response: { 200: FeatureProfile },
      },
    },
    async (req) => {
      const { name } = req.params;
      const { max_values } = req.query;
      // Values ingested just now: their monitoring records settle first (as the quality routes do).
      await ctx.monitoring.flush();
      return featureProfile({ registry: ctx.registry, offline: ctx.stores.offline, online: ctx.online, jobs: ctx.jobs }, name, max_values);
    },
  );
}
