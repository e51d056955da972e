import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/storage/redact-url.js';
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

  it('an unsupported scheme is refused naming the variable, without echoing the password', async () => {
    const config = loadConfig({ env: { FSTORE_ONLINE_STORE: 'memcached://user:s3cret@host:11211' } });
    const error = await openStores(config, freshDataDir()).catch((e: Error) => e);
    expect(String(error)).toContain("'onlineStore' (FSTORE_ONLINE_STORE)");
    expect(String(error)).toContain('expected redis:// or rediss://');
    expect(String(error)).not.toContain('s3cret');
  });
});
