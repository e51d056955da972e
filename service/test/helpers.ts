import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/load-config.js';

export interface TestService {
  app: FastifyInstance;
  dataDir: string;
  close(): Promise<void>;
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  put(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'fstore-test-'));
}

/** A service on embedded stores in a temp folder (or `dataDir`, to test restarts), driven by inject(). */
export async function startTestService(dataDir = freshDataDir()): Promise<TestService> {
  const config = loadConfig({ env: {}, overrides: { dataDir, logLevel: 'silent' } });
  const { app } = await buildApp(config);
  await app.ready();
  const json = (method: 'POST' | 'PUT') => (url: string, body: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload: body as object, headers: { 'content-type': 'application/json', ...headers } });
  return {
    app,
    dataDir,
    close: () => app.close(),
    post: json('POST'),
    put: json('PUT'),
    get: (url) => app.inject({ method: 'GET', url }),
    del: (url) => app.inject({ method: 'DELETE', url }),
  };
}

/** The seed document's feature, verbatim. */
export const SEED_FEATURE = {
  name: 'usuario_idade',
  description: 'Idade do usuário',
  feature_type: 'NUMERIC',
  value_type: 'INT',
  entity: 'usuario',
  tags: ['demografia', 'basico'],
};
