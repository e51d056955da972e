import type { Job } from '@shared/api/jobs.js';

/**
 * What a job that was running when its process stopped did and did not leave behind. `who` names
 * the process: "The service" after a restart, "The replica <holder>" when another replica saw it go.
 */
export function interruptedMessage(job: Job, who = 'The service'): string {
  const phase = job.progress.phase;
  if (job.kind === 'materialize') {
    return `${who} stopped while materializing (during '${phase}'); the online store may hold part of the new values (never an older one than before) and the incremental watermark did not move. Re-run it to finish (it is idempotent).`;
  }
  if (phase === 'writing online') {
    return `${who} stopped while the online store was being updated; the offline history was committed. Re-run the job to refresh the online values (it is idempotent).`;
  }
  if (job.kind === 'sql_pull') {
    return `${who} stopped during '${phase}'; nothing past the pull's watermark was committed. Re-run it: an incremental pull resumes from its watermark.`;
  }
  return `${who} stopped during '${phase}'; nothing of this job was committed. Re-run it.`;
}

/** The job as failed with FSTORE_INTERRUPTED. */
export function interrupted(job: Job, who?: string): Job {
  return {
    ...job,
    state: 'failed',
    finished_at: new Date().toISOString(),
    error: { code: 'FSTORE_INTERRUPTED', message: interruptedMessage(job, who) },
  };
}
