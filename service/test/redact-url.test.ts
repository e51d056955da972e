import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSparkJob } from '../src/transforms/spark/spark-submit.js';
import { redactUrl } from '../src/storage/redact-url.js';
import { urlCredentials, urlSecrets, withoutSecrets } from '../src/storage/url-credentials.js';
import { loadConfig } from '../src/config/load-config.js';
import { openStores } from '../src/storage/open-stores.js';
import { freshDataDir } from './helpers.js';

describe('connection strings', () => {
  it('never show credentials', () => {
    expect(redactUrl('postgres://fstore:s3cret@db:5432/fstore')).toBe('postgres://***:***@db:5432/fstore');
    expect(redactUrl('redis://:s3cret@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(redactUrl('mongodb://127.0.0.1:27017/fstore')).toBe('mongodb://127.0.0.1:27017/fstore');
    expect(redactUrl('not a url')).not.toContain('not a url');
  });

  it('never show credentials in query parameters either', () => {
    expect(redactUrl('postgres://u@db/shop?sslmode=require&password=s3cret&SSLPassword=k3y&sslkey=/etc/k.pem')).toBe(
      'postgres://***@db/shop?sslmode=require&password=***&SSLPassword=***&sslkey=***',
    );
    expect(redactUrl('postgres://db/shop?password=a&password=b')).toBe('postgres://db/shop?password=***');
    expect(redactUrl('mongodb://db/x?tlsCertificateKeyFilePassword=s3cret')).not.toContain('s3cret');
  });

  it('find every credential part, the secrets to scrub, and the identity without them', () => {
    const url = new URL('postgres://u:p%40ss@db/shop?pass%77ord=s3cret&application_name=a%20b&passfile=/x');
    expect(urlCredentials(url).map((c) => [c.where, c.kind])).toEqual([
      ['password in the user part (scheme://user:password@host)', 'secret'],
      ["query parameter 'password'", 'secret'],
      ["query parameter 'passfile'", 'file'],
    ]);
    expect(urlSecrets(url)).toEqual(['p@ss', 's3cret']);
    expect(withoutSecrets(url).toString()).toBe('postgres://u@db/shop?application_name=a+b&passfile=%2Fx');
    // A URL without secret parameters keeps its query exactly (watermarks are keyed on it).
    expect(withoutSecrets(new URL('postgres://u:p@db/shop?application_name=a%20b')).toString()).toBe('postgres://u@db/shop?application_name=a%20b');
  });

  it("a Spark job's log and errors never show the secrets of the source URLs it was given", async () => {
    const dir = freshDataDir();
    const submit = join(dir, 'fake-spark-submit');
    // What a JDBC driver might print: the URL it was handed, in the log and in the error.
    writeFileSync(submit, '#!/bin/sh\necho "opening $FSTORE_SPARK_SOURCE_0" >&2\necho "FSTORE_ERROR {\\"code\\":\\"SOURCE\\",\\"message\\":\\"cannot read $FSTORE_SPARK_SOURCE_0\\"}"\n');
    chmodSync(submit, 0o755);
    const lines: string[] = [];
    const url = 'postgres://u:pw-4711@db/shop?sslpassword=k3y-4711&sslmode=require';
    const error = await runSparkJob({ master: 'local[1]', submit, jdbcJar: null }, { mode: 'transform', output: join(dir, 'out') }, dir, {
      env: { FSTORE_SPARK_SOURCE_0: url },
      onLog: (line) => lines.push(line),
    }).catch((e: unknown) => e as Error);
    expect(String(error)).toContain('cannot read postgres://u:***@db/shop?sslpassword=***');
    expect(lines.join('\n')).toContain('opening postgres://u:***@db/shop');
    expect(`${String(error)}\n${lines.join('\n')}`).not.toContain('4711');
  });

  it('an unsupported scheme is refused naming the variable, without echoing the password', async () => {
    const config = loadConfig({ env: { FSTORE_ONLINE_STORE: 'memcached://user:s3cret@host:11211' } });
    const error = await openStores(config, freshDataDir()).catch((e: Error) => e);
    expect(String(error)).toContain("'onlineStore' (FSTORE_ONLINE_STORE)");
    expect(String(error)).toContain('expected redis://, rediss://, redis+cluster://host1:port,host2:port or rediss+cluster://');
    expect(String(error)).not.toContain('s3cret');
  });
});
