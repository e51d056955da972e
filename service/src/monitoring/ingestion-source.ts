/**
 * Names the ingestion that last wrote a feature, from what the service records: succeeded file and
 * SQL-pull jobs (their params name the file or source, their report the features written), and the
 * operation audit of synchronous ingestion (rows and file uploads, which run no job).
 */
import type { Job } from '@shared/api/jobs.js';
import type { IngestionSource } from '@shared/api/profile.js';
import type { Feature } from '@shared/domain/schemas.js';
import type { JobService } from '../jobs/job-service.js';
import { withoutEntityPrefix } from '../registry/feature-names.js';
import type { RegistryService } from '../registry/registry-service.js';

/** Jobs and audit events looked through (newest first): bounded, and the newest is what counts. */
const JOBS_SCANNED = 1000;
const AUDIT_SCANNED = 200;
const UPLOAD_ROUTE = '/api/ingest/:entity/:feature_group/upload';

export async function ingestionSourceOf(feature: Feature, registry: RegistryService, jobs: JobService): Promise<IngestionSource | null> {
  const group = feature.feature_group;
  if (!group) return null;
  const fromJob = await newestJob(feature, group, jobs);
  const events = await registry.audit({ kind: 'feature_group', name: group, limit: AUDIT_SCANNED });
  const event = events.find((e) => e.action === 'feature_group.ingest');
  const fromAudit: IngestionSource | null = event
    ? {
        kind: event.details?.['route'] === UPLOAD_ROUTE ? 'file_upload' : 'rows',
        description: event.details?.['route'] === UPLOAD_ROUTE ? `file upload into ${feature.entity}/${group}` : `JSON rows into ${feature.entity}/${group}`,
        filename: null,
        format: null,
        job_id: null,
        at: event.time,
        by: event.actor,
        values_written: null,
      }
    : null;
  if (fromJob && fromAudit) return fromJob.at >= fromAudit.at ? fromJob : fromAudit;
  return fromJob ?? fromAudit;
}

async function newestJob(feature: Feature, group: string, jobs: JobService): Promise<IngestionSource | null> {
  const [files, pulls] = await Promise.all([
    jobs.list({ kind: 'ingest_file', state: 'succeeded', limit: JOBS_SCANNED }),
    jobs.list({ kind: 'sql_pull', state: 'succeeded', limit: JOBS_SCANNED }),
  ]);
  const candidates = [...files, ...pulls]
    .filter((j) => j.params['entity'] === feature.entity && j.params['feature_group'] === group && wrote(j, feature))
    .sort((a, b) => (b.finished_at ?? '').localeCompare(a.finished_at ?? ''));
  const job = candidates[0];
  if (!job) return null;
  const text = (key: string) => (typeof job.params[key] === 'string' ? (job.params[key] as string) : null);
  const written = job.result?.['values_written'];
  const filename = job.kind === 'ingest_file' ? text('filename') : null;
  const format = job.kind === 'ingest_file' ? text('format') : null;
  const source = job.kind === 'sql_pull' ? (text('table') ?? 'a query') : null;
  return {
    kind: job.kind === 'sql_pull' ? 'sql_pull' : 'file_job',
    description:
      job.kind === 'sql_pull'
        ? `SQL pull of ${source} from ${text('connection') ?? 'a database'}`
        : `file ${filename ?? 'upload'}${format ? ` (${format})` : ''}`,
    filename,
    format,
    job_id: job.id,
    at: job.finished_at ?? job.created_at,
    by: job.created_by,
    values_written: typeof written === 'number' ? written : null,
  };
}

/** True when the job's report lists the feature (or its column without the entity prefix), or has no list to tell. */
function wrote(job: Job, feature: Feature): boolean {
  const features = job.result?.['features'];
  const column = withoutEntityPrefix(feature.name, feature.entity);
  return !Array.isArray(features) || features.includes(feature.name) || features.includes(column);
}
