import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { startTestService, waitForJob, type TestService } from './helpers.js';

/**
 * Credentials in connection URLs: a data source's URL is stored in the registry, which every reader
 * sees, so any credential in it is refused; a SQL pull uses its URL once, so it may carry a
 * password, which then appears nowhere. Nothing listens on port 1: no connection succeeds here
 * (service/test/services/postgres-transform-source.test.ts repeats this against a real server).
 */
describe('credentials in connection URLs', () => {
  const SECRET = 'canary-s3cret-4711';
  const nowhere = 'postgres://reader@127.0.0.1:1/shop';
  let s: TestService;

  beforeAll(async () => {
    s = await startTestService();
    process.env['FSTORE_TEST_NOT_A_URL'] = `/usr/local/${SECRET}/bin:/usr/bin`;
  });
  afterAll(async () => {
    delete process.env['FSTORE_TEST_NOT_A_URL'];
    await s.close();
  });

  /** Every route a reader may GET that could show a URL, concatenated. */
  const everythingReadable = async (): Promise<string> => {
    const jobs = (await s.get('/api/jobs/?limit=1000')).json() as Job[];
    const sources = (await s.get('/api/data-sources/?include_archived=true')).json() as { name: string }[];
    const pages = [
      '/api/data-sources/',
      '/api/definitions/export',
      '/api/audit?limit=1000',
      '/api/jobs/?limit=1000',
      ...jobs.flatMap((j) => [`/api/jobs/${j.id}`, `/api/jobs/${j.id}/logs`]),
      ...sources.flatMap((d) => [`/api/data-sources/${d.name}`, `/api/data-sources/${d.name}/versions`]),
    ];
    const bodies = await Promise.all(pages.map(async (url) => `${url}: ${(await s.get(url)).body}`));
    return bodies.join('\n');
  };

  it('refuses a data source whose URL carries any credential, naming the part and the way to pass it', async () => {
    const cases: [string, RegExp][] = [
      [`postgres://reader:${SECRET}@127.0.0.1:1/shop`, /password in the user part/],
      [`${nowhere}?password=${SECRET}`, /'password'/],
      [`${nowhere}?sslmode=require&PassWord=${SECRET}`, /'PassWord'/],
      [`${nowhere}?pass%77ord=${SECRET}`, /'password'/],
      [`${nowhere}?sslpassword=${SECRET}`, /'sslpassword'/],
      [`${nowhere}?sslkey=/etc/ssl/private/${SECRET}.key`, /'sslkey'/],
      [`${nowhere}?sslcert=/etc/ssl/${SECRET}.crt`, /'sslcert'/],
      [`${nowhere}?sslrootcert=/etc/ssl/${SECRET}.crt`, /'sslrootcert'/],
      [`${nowhere}?passfile=/home/${SECRET}/.pgpass`, /'passfile'/],
    ];
    for (const [connection, names] of cases) {
      const res = await s.post('/api/data-sources/', { name: 'shop', type: 'postgres', connection, table: 'orders' });
      expect(res.statusCode, `${connection}: ${res.body}`).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe('FSTORE_VALIDATION_FAILED');
      expect(error.message).toMatch(names);
      expect(error.message).toMatch(/env:VARIABLE/);
      expect(res.body).not.toContain(SECRET);
    }
    expect((await s.get('/api/data-sources/shop')).statusCode).toBe(404);
  });

  it('refuses the same through definitions apply, and writes nothing', async () => {
    const bundle = { data_sources: [{ name: 'shop', type: 'postgres', connection: `${nowhere}?password=${SECRET}`, table: 'orders' }] };
    const applied = await s.post('/api/definitions/apply', { bundle });
    expect(applied.statusCode, applied.body).toBe(400);
    expect(applied.json().error.message).toMatch(/'password'/);
    expect(applied.body).not.toContain(SECRET);
    expect((await s.get('/api/data-sources/shop')).statusCode).toBe(404);
  });

  it('a SQL pull may carry a password (user part or query), which its job never shows', async () => {
    const ids: string[] = [];
    for (const connection of [`${nowhere}?password=${SECRET}`, `postgres://reader:${SECRET}@127.0.0.1:1/shop?sslpassword=${SECRET}x&application_name=pull`]) {
      const res = await s.post('/api/jobs/sql-pull/cliente/perfil', { connection, table: 'clientes', timestamp_column: 'updated_at' });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.body).not.toContain(SECRET);
      const job = res.json() as Job;
      expect(job.params['connection']).toMatch(/^postgres:\/\/\*\*\*(:\*\*\*)?@127\.0\.0\.1:1\/shop\?/);
      ids.push(job.id);
    }
    for (const id of ids) {
      const job = await waitForJob(s, id);
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('FSTORE_SOURCE_UNAVAILABLE');
      expect(JSON.stringify(job)).not.toContain(SECRET);
    }
  });

  it('a SQL pull may not make the service read files (TLS keys, password files)', async () => {
    for (const param of ['sslkey', 'sslcert', 'sslrootcert', 'passfile']) {
      const res = await s.post('/api/jobs/sql-pull/cliente/perfil', { connection: `${nowhere}?${param}=/etc/${SECRET}`, table: 'clientes', timestamp_column: 'updated_at' });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toContain(`'${param}'`);
      expect(res.body).not.toContain(SECRET);
    }
  });

  it('an env: variable that holds no postgres URL is a 400 that does not show its value', async () => {
    const res = await s.post('/api/data-sources/', { name: 'shop', type: 'postgres', connection: 'env:FSTORE_TEST_NOT_A_URL', table: 'orders' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toMatch(/FSTORE_TEST_NOT_A_URL .*postgres:\/\//);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain('/usr/local');
  });

  it('after all of that, no reader-visible route shows a secret', async () => {
    const readable = await everythingReadable();
    expect(readable).toContain('/api/jobs/'); // the pages were read
    expect(readable).not.toContain(SECRET);
  });
});
