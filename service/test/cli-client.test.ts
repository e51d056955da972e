import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FStoreApiError } from '@shared/api/client.js';
import { cliClient, type CliClient } from '../src/cli/cli-client.js';
import { followJob } from '../src/cli/follow-job.js';
import { ProgressBar } from '../src/cli/progress-bar.js';
import { loadConfig } from '../src/config/load-config.js';
import { startServer } from '../src/server.js';
import { freshDataDir } from './helpers.js';

/**
 * The shared client as the CLI uses it (cli-client.ts: Node's fetch, files streamed up and down)
 * and `followJob`, against a real listening service: the calls the CLI's commands are made of.
 */
describe('the CLI on the shared client', () => {
  const dir = freshDataDir();
  let close: () => Promise<void>;
  let client: CliClient;
  const user = process.env['USER'];

  beforeAll(async () => {
    const { app, url } = await startServer(loadConfig({ env: {}, overrides: { dataDir: join(dir, 'data'), port: 0, logLevel: 'silent', monitoringIntervalSeconds: 0 } }));
    close = () => app.close();
    process.env['USER'] = 'cli-tester';
    client = cliClient(url);
  });
  afterAll(async () => {
    if (user === undefined) delete process.env['USER'];
    else process.env['USER'] = user;
    await close?.();
  });

  const stream = (text: string, name: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return { body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size: Buffer.byteLength(text) };
  };

  it('streams a file into an ingestion job and follows it to its result, as the user', async () => {
    const { body, size } = stream('usuario_id,usuario_idade,event_timestamp\nu1,25,2025-01-10T10:00:00Z\nu2,31,2025-01-11T10:00:00Z\n', 'a.csv');
    const job = await client.jobs.ingestFile('usuario', 'demografia', body, { size, format: 'csv' });
    const final = await followJob(client, job.id, new ProgressBar());
    expect(final).toMatchObject({ state: 'succeeded', result: { rows: 2, values_written: 2 } });
    const audit = await client.audit({ kind: 'feature_group', name: 'demografia' });
    expect(audit.find((e) => e.action === 'feature_group.ingest_job')?.actor).toBe('cli-tester');
  });

  it('uploads a file, then follows a job that fails: the job error, with its id and the hint', async () => {
    const { body, size } = stream('usuario_id,usuario_idade\nu9,old\n', 'bad.csv');
    const upload = await client.uploads.create(body, { size, format: 'csv', filename: 'bad.csv' });
    expect(upload).toMatchObject({ filename: 'bad.csv', format: 'csv', size_bytes: size });
    const job = await client.jobs.ingestUpload('usuario', 'demografia', upload.upload_id);
    const error = await followJob(client, job.id, new ProgressBar(), ' (a hint)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FStoreApiError);
    expect(error).toMatchObject({ code: 'FSTORE_INGEST_REJECTED', details: { invalid_rows: 1 } });
    expect((error as Error).message).toMatch(new RegExp(`^1 of 1 rows are invalid.* \\(job ${job.id}\\) \\(a hint\\)$`));
  });

  it('hands files back as responses to stream, and throws the service errors of file calls', async () => {
    const offline = await client.featureGroups.offlineExport('demografia', { format: 'csv' });
    expect((await offline.text()).trim().split('\n')).toEqual(['entity_key,event_time,usuario_idade', 'u1,2025-01-10 10:00:00+00,25', 'u2,2025-01-11 10:00:00+00,31']);
    const training = await client.trainingRangeFile({ entity: 'usuario', feature_list: ['idade'], start_date: '2025-01-01', end_date: '2025-01-31', format: 'csv' });
    expect((await training.text()).split('\n')[0]).toContain('idade');
    await expect(client.featureGroups.offlineExport('no_such_group')).rejects.toMatchObject({ code: 'FSTORE_FEATURE_GROUP_NOT_FOUND', status: 404 });
    await expect(client.jobs.events('no-such-job')).rejects.toMatchObject({ status: 404 });
  });
});
