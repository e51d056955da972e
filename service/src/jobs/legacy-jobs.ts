import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import type { Job } from '@shared/api/jobs.js';
import type { JobLog, JobRecordStore } from '../storage/job-records.js';

/** The holder of jobs an earlier release kept in the data folder: no process holds its lease. */
export const LEGACY_HOLDER = 'legacy:data-folder';

/**
 * Copies the job records and logs an earlier release kept in the data folder (`jobs.lmdb` and
 * `job-logs/`) into the registry role where it has none of that id, so an upgrade keeps the job
 * history (a job that was running is then reported as interrupted, as before). Idempotent.
 */
export async function importLegacyJobs(records: JobRecordStore, path: string, logsDir: string): Promise<number> {
  if (!existsSync(path)) return 0;
  const legacy = open<Job, string>({ path, compression: false, readOnly: true });
  let imported = 0;
  try {
    for (const { value: job } of legacy.getRange()) {
      if (await records.get(job.id)) continue;
      await records.put(job, LEGACY_HOLDER);
      const log = readLog(logsDir, job.id);
      if (log) await records.putLog(job.id, log);
      imported++;
    }
  } finally {
    await legacy.close();
  }
  return imported;
}

function readLog(dir: string, id: string): JobLog | undefined {
  const path = join(dir, `${id}.json`);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as JobLog;
  } catch {
    return undefined; // a log cut short by a crash: the job's record is still worth keeping
  }
}
