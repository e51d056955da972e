import { Type } from 'typebox';
import {
  Alert,
  AlertRule,
  AlertRuleInput,
  BatchQuality,
  BatchQualityQuery,
  DriftReport,
  DriftRequest,
  DriftSeriesPoint,
  DriftSeriesRequest,
  ListAlertsQuery,
  MonitoringOverview,
  OperationsReport,
  QualityQuery,
  QualityReport,
  RuleEvaluation,
  SkewReport,
  SkewRequest,
} from '@shared/api/monitoring.js';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/app-error.js';
import { parseWindow } from '../../monitoring/drift-service.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

const tags = ['Monitoring'];
const MAX_SERIES_POINTS = 400;

/** Quality, drift, operations and alerts under /api/monitoring/. */
export function registerMonitoringRoutes(app: TypedApp, ctx: AppContext): void {
  const m = ctx.monitoring;
  app.get(
    '/api/monitoring/',
    {
      schema: {
        tags,
        summary: 'Overview: firing alerts, rules, stale groups',
        response: { 200: MonitoringOverview },
      },
    },
    async () => ({
      firing_alerts: await m.alerts.alerts({ state: 'firing', limit: 100 }),
      rules: (await m.alerts.rules()).length,
      stale_groups: (await m.freshness()).filter((g) => g.stale).map((g) => `${g.entity}/${g.feature_group}`),
      endpoints: ['quality', 'quality/batches', 'drift', 'drift/series', 'operations', 'rules', 'alerts', 'evaluate'].map((p) => `/api/monitoring/${p}`),
    }),
  );
  app.get(
    '/api/monitoring/quality',
    {
      schema: {
        tags,
        summary: 'Data quality of features over an event-time window, with per-day counts',
        querystring: QualityQuery,
        response: { 200: QualityReport },
      },
    },
    (req) => {
      const q = req.query;
      const features = q.features?.split(',').map((f) => f.trim()).filter(Boolean);
      return m.quality.report(q.entity, { features, group: q.feature_group }, { start: q.start, end: q.end });
    },
  );
  app.get(
    '/api/monitoring/quality/batches',
    {
      schema: {
        tags,
        summary: 'Quality of the recent ingestion batches of a group, newest first',
        querystring: BatchQualityQuery,
        response: { 200: Type.Array(BatchQuality) },
      },
    },
    async (req) => {
      const q = req.query;
      await ctx.registry.get('feature_group', q.feature_group);
      await m.flush();
      return m.batches(q.entity, q.feature_group, q.limit ?? 50);
    },
  );
  app.post(
    '/api/monitoring/drift',
    {
      schema: {
        tags,
        summary: 'Drift of features between a baseline window and a current window',
        description:
          'Numeric (INT, FLOAT): PSI on baseline decile bins, Kolmogorov-Smirnov on baseline percentile bins (a lower bound of the exact statistic, within one bin\'s mass) with its asymptotic p-value. Categorical (STRING, BOOL): PSI, Jensen-Shannon divergence and chi-square over the 50 most frequent values plus the rest. Computed inside the offline store.',
        body: DriftRequest,
        response: { 200: DriftReport },
      },
    },
    (req) => {
      const body = req.body;
      return m.drift.compare(body.entity, body.features, body.baseline, body.current, { bins: body.bins, psiThreshold: body.psi_threshold });
    },
  );
  app.post(
    '/api/monitoring/drift/series',
    {
      schema: {
        tags,
        summary: 'Drift scores over time: each step window of [start, end] against one baseline',
        body: DriftSeriesRequest,
        response: { 200: Type.Array(DriftSeriesPoint) },
      },
    },
    async (req) => {
      const body = req.body;
      const range = parseWindow({ start: body.start, end: body.end }, '');
      const step = (body.step_hours ?? 24) * 3_600_000;
      const windows: { start: number; end: number }[] = [];
      for (let t = range.start; t <= range.end; t += step) windows.push({ start: t, end: Math.min(t + step - 1, range.end) });
      if (windows.length > MAX_SERIES_POINTS) {
        throw new AppError('FSTORE_VALIDATION_FAILED', `${windows.length} windows requested; at most ${MAX_SERIES_POINTS} (widen step_hours)`);
      }
      const series = await m.drift.series(body.entity, body.features, body.baseline, windows, { psiThreshold: body.psi_threshold });
      return series.map((p) => ({
        start: new Date(p.window.start).toISOString(),
        end: new Date(p.window.end).toISOString(),
        features: p.features.map((f) => ({ feature: f.feature, psi: f.psi, ks: f.ks, js: f.js, count: f.current_count, drifted: f.drifted })),
      }));
    },
  );
  app.post(
    '/api/monitoring/skew',
    {
      schema: {
        tags,
        summary: 'Training/serving skew: values online serving returned against a training window',
        description: 'The service keeps the last 10,000 values it served per feature (in memory, since it started) and compares them with the training window like drift does.',
        body: SkewRequest,
        response: { 200: SkewReport },
      },
    },
    async (req) => {
      const body = req.body;
      // With serving workers, the values they served are theirs to give.
      const served = await ctx.workers?.samples(body.entity, body.features);
      const sample = (f: string) => [...ctx.servingSampler.values(body.entity, f), ...(served?.get(f) ?? []).map((v) => JSON.parse(v) as unknown)];
      const features = await m.drift.compareWithSample(body.entity, body.features, body.training, sample, {
        psiThreshold: body.psi_threshold,
      });
      return { entity: body.entity, training: body.training, features };
    },
  );
  app.get('/api/monitoring/operations', { schema: { tags, summary: 'Latency percentiles, freshness, ingestion rate, Kafka lag', response: { 200: OperationsReport } } }, async () => {
    await m.flush();
    return m.operations();
  });

  // ---- rules and alerts ----
  const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 63 }) });
  app.get('/api/monitoring/rules', { schema: { tags, summary: 'Alert rules', response: { 200: Type.Array(AlertRule) } } }, () => m.alerts.rules());
  app.post(
    '/api/monitoring/rules',
    { schema: { tags, summary: 'Create or replace an alert rule', body: AlertRuleInput, response: { 201: AlertRule } } },
    async (req, reply) => reply.status(201).send(await m.alerts.putRule(req.body, actorOf(req))),
  );
  app.get('/api/monitoring/rules/:name', { schema: { tags, summary: 'One alert rule', params: NameParams, response: { 200: AlertRule } } }, (req) =>
    m.alerts.rule(req.params.name),
  );
  app.delete(
    '/api/monitoring/rules/:name',
    { schema: { tags, summary: 'Delete an alert rule (its firing alerts resolve)', params: NameParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await m.alerts.deleteRule(req.params.name);
      // No body: an async handler that returns nothing has Fastify send the reply empty.
      void reply.status(204);
    },
  );
  app.post(
    '/api/monitoring/evaluate',
    { schema: { tags, summary: 'Evaluate every alert rule now', description: 'Rules are also evaluated every monitoringIntervalSeconds.', response: { 200: Type.Array(RuleEvaluation) } } },
    async () => {
      await m.flush();
      return m.alerts.evaluate();
    },
  );
  app.get(
    '/api/monitoring/alerts',
    {
      schema: {
        tags,
        summary: 'Alerts, newest first',
        querystring: ListAlertsQuery,
        response: { 200: Type.Array(Alert) },
      },
    },
    (req) => m.alerts.alerts(req.query),
  );
  app.post(
    '/api/monitoring/alerts/:id/ack',
    { schema: { tags, summary: 'Acknowledge an alert', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: Alert } } },
    (req) => m.alerts.acknowledge(req.params.id, actorOf(req)),
  );
}
