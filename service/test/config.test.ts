import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { startServer } from '../src/server.js';

const file = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'fstore-cfg-')), 'fstore.json');
  writeFileSync(path, content);
  return path;
};

describe('configuration', () => {
  it('defaults to loopback:8000 on embedded stores with no configuration at all', () => {
    expect(loadConfig({ env: {} })).toMatchObject({ host: '127.0.0.1', port: 8000, onlineStore: null, offlineStore: null, registry: null });
  });

  it('parses every environment variable by the type of its key', () => {
    const config = loadConfig({
      env: { FSTORE_MONITORING_INTERVAL_SECONDS: '0', FSTORE_MAX_BODY_BYTES: '2048', FSTORE_ALLOW_UNAUTHENTICATED_REMOTE: 'true', FSTORE_KAFKA_TOPICS: 'a, b' },
    });
    expect(config).toMatchObject({ monitoringIntervalSeconds: 0, maxBodyBytes: 2048, allowUnauthenticatedRemote: true, kafkaTopics: ['a', 'b'] });
  });

  it('layers defaults, file, environment and overrides in that order', () => {
    const path = file(JSON.stringify({ port: 9000, dataDir: '/from/file', logLevel: 'debug' }));
    const config = loadConfig({ file: path, env: { FSTORE_PORT: '9100', FSTORE_LOG_LEVEL: 'warn' }, overrides: { logLevel: 'error' } });
    expect(config).toMatchObject({ port: 9100, dataDir: '/from/file', logLevel: 'error' });
  });

  it('rejects unknown keys and invalid values, naming each', () => {
    expect(() => loadConfig({ file: file(JSON.stringify({ prot: 1 })), env: {} })).toThrow(/unknown key 'prot'/);
    expect(() => loadConfig({ env: { FSTORE_PORT: 'eighty' } })).toThrow(/'port' \(env FSTORE_PORT\)/);
    expect(() => loadConfig({ env: { FSTORE_MONITORING_INTERVAL_SECONDS: 'often' } })).toThrow(/'monitoringIntervalSeconds' \(env FSTORE_MONITORING_INTERVAL_SECONDS\) must be integer/);
    expect(() => loadConfig({ env: { FSTORE_PORT: '70000' } })).toThrow(/'port'/);
    expect(() => loadConfig({ file: file('{nope'), env: {} })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ file: '/does/not/exist.json', env: {} })).toThrow(/Cannot read config file/);
  });

  it('refuses to listen on a non-loopback address without auth, and says why', async () => {
    const config = loadConfig({ env: {}, overrides: { host: '0.0.0.0', port: 0, logLevel: 'silent' } });
    await expect(startServer(config)).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0.*allowUnauthenticatedRemote/);
  });
});
