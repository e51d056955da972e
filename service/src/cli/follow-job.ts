import { FStoreApiError } from '@shared/api/client.js';
import type { Job } from '@shared/api/jobs.js';
import type { ErrorCode } from '@shared/errors.js';
import type { CliClient } from './cli-client.js';
import type { ProgressBar } from './progress-bar.js';

/**
 * Follows a job through its server-sent events until it ends, drawing its progress on `bar`.
 * Answers the job when it succeeded; otherwise throws its error (code, message, details) with the
 * job's id and `hint` appended, as every command that waits for a job reports it.
 */
export async function followJob(client: CliClient, id: string, bar: ProgressBar, hint = ''): Promise<Job> {
  const final = await lastEvent(client, id, (j) => bar.update(j.progress.phase, j.progress.rows_done, j.progress.rows_total, 'rows', j.progress.rows_per_second));
  bar.done();
  if (final.state !== 'succeeded') {
    const error = final.error ?? { code: 'FSTORE_INTERNAL', message: `job ${final.state}` };
    throw new FStoreApiError(0, error.code as ErrorCode, `${error.message} (job ${final.id})${hint}`, error.details);
  }
  return final;
}

/** The job as its last event told, reading the event stream to its end; the job itself when there was none. */
async function lastEvent(client: CliClient, id: string, onUpdate: (job: Job) => void): Promise<Job> {
  const res = await client.jobs.events(id);
  if (!res.body) return client.jobs.get(id);
  let buffer = '';
  let last: Job | undefined;
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').find((l) => l.startsWith('data: '));
      if (data) {
        last = JSON.parse(data.slice(6)) as Job;
        onUpdate(last);
      }
    }
  }
  return last ?? client.jobs.get(id);
}
