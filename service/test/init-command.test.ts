import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDefinitions } from '../src/cli/definitions-folder.js';
import { initProject } from '../src/cli/init-command.js';
import { startTestService, type TestService } from './helpers.js';

/** `fstore init`: the project it writes works as its README says, against a real service. */
describe('fstore init', () => {
  let s: TestService;
  const dir = join(mkdtempSync(join(tmpdir(), 'fstore-init-')), 'projeto');
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it('writes definitions, sample data, labels and a README, and refuses to overwrite them without --force', () => {
    const files = initProject(dir);
    expect(files).toEqual([
      'definitions/entities/usuario.yaml',
      'definitions/feature_groups/demografia.yaml',
      'definitions/features/usuario_idade.yaml',
      'definitions/features/usuario_renda.yaml',
      'definitions/features/usuario_cidade.yaml',
      'data/dados_usuarios.csv',
      'data/labels.csv',
      'README.md',
      '.gitignore',
    ]);
    expect(() => initProject(dir)).toThrow(/already has data\/dados_usuarios\.csv, .*; choose an empty folder, or add --force to overwrite them/);
    expect(initProject(dir, true)).toEqual(files);
  });

  it('applies, ingests and builds the training set the README describes', async () => {
    const applied = await s.post('/api/definitions/apply', { bundle: readDefinitions(join(dir, 'definitions')), prune: false });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().applied.map((a: { kind: string; name: string }) => `${a.kind} ${a.name}`)).toEqual([
      'entity usuario',
      'feature_group demografia',
      'feature usuario_cidade',
      'feature usuario_idade',
      'feature usuario_renda',
    ]);
    const ingested = await s.app.inject({
      method: 'POST',
      url: '/api/ingest/usuario/demografia/upload',
      payload: readFileSync(join(dir, 'data/dados_usuarios.csv')),
      headers: { 'content-type': 'text/csv' },
    });
    expect(ingested.statusCode, ingested.body).toBe(200);
    expect(ingested.json()).toMatchObject({ rows: 4, registered_features: [] });

    const [header, ...lines] = readFileSync(join(dir, 'data/labels.csv'), 'utf8').trim().split('\n');
    const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [header!.split(',')[i]!, cell])));
    const training = await s.post('/api/training/point-in-time', { entity: 'usuario', feature_list: ['idade', 'renda', 'cidade'], rows });
    expect(training.statusCode, training.body).toBe(200);
    expect(training.json().rows.map((r: Record<string, unknown>) => [r['entity_key'], r['cidade'], r['renda']])).toEqual([
      ['user_123', 'São Paulo', 4200.5],
      ['user_123', 'Campinas', 5100],
      ['user_456', null, null],
      ['user_789', 'Porto Alegre', 8800.75],
    ]);
  });
});
