import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteSecret, listSecretNames, saveSecret, secretEnvironment, SECRETS_FILE_NAME, type SecretCipher } from './connection-secrets.js';

/** Stands in for safeStorage: reversible, and never the clear text. */
const cipher: SecretCipher = {
  isAvailable: () => true,
  encrypt: (text) => Buffer.from([...Buffer.from(text, 'utf8')].map((b) => b ^ 0x5a)),
  decrypt: (data) => Buffer.from([...data].map((b) => b ^ 0x5a)).toString('utf8'),
};
const URL_WITH_PASSWORD = 'postgres://reader:s3cret@db.example:5432/shop';

const freshFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'fstore-secrets-')), SECRETS_FILE_NAME);

describe('connection secrets', () => {
  it('keeps URLs encrypted, lists names only, and gives the bundled service its environment', async () => {
    const file = freshFile();
    expect(await listSecretNames(file)).toEqual([]);
    await saveSecret(file, 'FSTORE_CONN_WAREHOUSE', URL_WITH_PASSWORD, cipher);
    await saveSecret(file, 'FSTORE_CONN_EVENTS', 'broker-1:9092', cipher);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain('s3cret');
    expect(stored).not.toContain('db.example');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await listSecretNames(file)).toEqual(['FSTORE_CONN_EVENTS', 'FSTORE_CONN_WAREHOUSE']);
    expect(await secretEnvironment(file, cipher)).toEqual({ env: { FSTORE_CONN_WAREHOUSE: URL_WITH_PASSWORD, FSTORE_CONN_EVENTS: 'broker-1:9092' }, problems: [] });

    await deleteSecret(file, 'FSTORE_CONN_EVENTS');
    expect(await listSecretNames(file)).toEqual(['FSTORE_CONN_WAREHOUSE']);
  });

  it('refuses names outside FSTORE_CONN_, bad URLs, and storing without encryption, writing nothing', async () => {
    const file = freshFile();
    for (const name of ['PATH', 'NODE_OPTIONS', 'FSTORE_AUTH', 'FSTORE_CONN_', 'fstore_conn_x', 'FSTORE_CONN_A=B']) {
      await expect(saveSecret(file, name, URL_WITH_PASSWORD, cipher)).rejects.toThrow(/must be FSTORE_CONN_ followed by/);
    }
    await expect(saveSecret(file, 'FSTORE_CONN_X', 'file:///etc/passwd', cipher)).rejects.toThrow(/postgres:\/\/ URL or Kafka brokers/);
    await expect(saveSecret(file, 'FSTORE_CONN_X', 'postgres://a\nb', cipher)).rejects.toThrow(/one line/);
    await expect(saveSecret(file, 'FSTORE_CONN_X', URL_WITH_PASSWORD, { ...cipher, isAvailable: () => false })).rejects.toThrow(/no encrypted storage/);
    expect(await listSecretNames(file)).toEqual([]);
  });

  it('leaves out what no longer decrypts, and uses nothing without safeStorage', async () => {
    const file = freshFile();
    await saveSecret(file, 'FSTORE_CONN_WAREHOUSE', URL_WITH_PASSWORD, cipher);
    const broken: SecretCipher = { ...cipher, decrypt: () => { throw new Error('bad key'); } };
    expect(await secretEnvironment(file, broken)).toEqual({ env: {}, problems: ["FSTORE_CONN_WAREHOUSE could not be decrypted; save its connection's password again"] });
    expect((await secretEnvironment(file, { ...cipher, isAvailable: () => false })).env).toEqual({});
  });
});
