/**
 * The online answer as an Arrow IPC stream: decoded with apache-arrow, it says what the JSON answer
 * to the same request says (values, statuses, event times, key order and repeats, warnings), for
 * every value type, on demand too. Content negotiation: only an Accept naming Arrow gets it; errors
 * stay JSON. Also runs on Redis (vitest.services.config.ts).
 */
import { tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureStatus, OnlineResponse } from '@shared/api/serving.js';
import { startTestService, waitForJob, type TestService } from './helpers.js';

const ARROW = 'application/vnd.apache.arrow.stream';
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** One feature per value type, in group `perfil` (no TTL). */
const TYPED: [string, string][] = [
  ['cliente_idade', 'INT'],
  ['cliente_renda', 'FLOAT'],
  ['cliente_ativo', 'BOOL'],
  ['cliente_cidade', 'STRING'],
  ['cliente_visto_em', 'TIMESTAMP'],
  ['cliente_nascimento', 'DATE'],
  ['cliente_notas', 'INT_LIST'],
  ['cliente_pesos', 'FLOAT_LIST'],
  ['cliente_tags', 'STRING_LIST'],
  ['cliente_flags', 'BOOL_LIST'],
];

/** An Arrow answer rebuilt in the JSON answer's shape: times as ISO text, int64 as numbers. */
function asJsonAnswer(table: Table): OnlineResponse {
  const metadata = table.schema.metadata;
  const valueTypes = JSON.parse(metadata.get('fstore.value_types')!) as Record<string, string>;
  const requested = Object.keys(valueTypes);
  const warnings = metadata.get('fstore.warnings');
  const keys = table.getChildAt(0)!.toArray() as string[];
  const results = keys.map((entityKey, row) => ({
    entity_key: entityKey,
    features: Object.fromEntries(
      requested.map((name, i) => {
        const field = table.schema.fields[1 + 3 * i]!;
        const raw: unknown = table.getChildAt(1 + 3 * i)!.get(row);
        const value: unknown = field.metadata.get('fstore.encoding') === 'json' ? (raw === null ? null : JSON.parse(raw as string)) : plain(raw, valueTypes[name]!);
        const time = table.getChildAt(3 + 3 * i)!.get(row) as number | null;
        return [name, { value, status: table.getChildAt(2 + 3 * i)!.get(row) as FeatureStatus, event_timestamp: time === null ? null : iso(time) }];
      }),
    ),
  }));
  return {
    ...(warnings ? { warnings: JSON.parse(warnings) as string[] } : {}),
    entity: metadata.get('fstore.entity')!,
    features: JSON.parse(metadata.get('fstore.features')!) as string[],
    value_types: valueTypes as OnlineResponse['value_types'],
    results,
  };
}

function plain(value: unknown, valueType: string): unknown {
  if (value === null) return null;
  if (typeof value === 'bigint') return Number(value);
  if (valueType === 'TIMESTAMP') return iso(value as number);
  if (valueType === 'DATE') return iso(value instanceof Date ? value.getTime() : (value as number)).slice(0, 10);
  if (valueType.endsWith('_LIST')) return [...(value as Iterable<unknown>)].map((x) => (typeof x === 'bigint' ? Number(x) : x));
  return value;
}

describe('online answer as Arrow IPC', () => {
  let s: TestService;
  const now = Date.now();

  const request = (keys: string[], features: string[], accept?: string) =>
    s.post('/api/online/features', { entity: 'cliente', entity_keys: keys, feature_list: features }, accept ? { accept } : {});

  /** Both answers to one request; the Arrow one decoded into the JSON one's shape. */
  async function bothAnswers(keys: string[], features: string[]) {
    const json = await request(keys, features);
    const arrow = await request(keys, features, ARROW);
    expect(json.statusCode, json.body).toBe(200);
    expect(arrow.statusCode, arrow.body).toBe(200);
    expect(arrow.headers['content-type']).toBe(ARROW);
    const table = tableFromIPC(arrow.rawPayload);
    return { json: json.json() as OnlineResponse, arrow: asJsonAnswer(table), table, headers: [json.headers, arrow.headers] as const };
  }

  beforeAll(async () => {
    s = await startTestService();
    expect((await s.post('/api/feature-groups/', { name: 'perfil', entity: 'cliente' })).statusCode).toBe(201);
    expect((await s.post('/api/feature-groups/', { name: 'sessao', entity: 'cliente', ttl_seconds: 3600 })).statusCode).toBe(201);
    for (const [name, valueType] of [...TYPED, ['cliente_cliques', 'INT'], ['cliente_futuro', 'FLOAT']] as const) {
      const created = await s.post('/api/features/', { name, value_type: valueType, entity: 'cliente', feature_group: name === 'cliente_futuro' ? null : name === 'cliente_cliques' ? 'sessao' : 'perfil' });
      expect(created.statusCode, created.body).toBe(201);
    }
    const perfil = await s.post('/api/ingest/cliente/perfil', {
      rows: [
        {
          cliente_id: 'c1',
          event_timestamp: '2025-01-10T00:00:00Z',
          cliente_idade: 41,
          cliente_renda: 5100.5,
          cliente_ativo: true,
          cliente_cidade: 'São Paulo "SP"\n',
          cliente_visto_em: '2025-01-09T08:07:06.789Z',
          cliente_nascimento: '1984-02-29',
          cliente_notas: [3, -7, 9007199254740991],
          cliente_pesos: [0.5, 2],
          cliente_tags: ['a', 'ç'],
          cliente_flags: [true, false],
        },
        // c2: some features empty (NOT_FOUND), negative and large numbers.
        { cliente_id: 'c2', event_timestamp: '2024-12-31T23:59:59.999Z', cliente_idade: -3, cliente_renda: -1.25e15, cliente_ativo: false, cliente_cidade: '' },
      ],
    });
    expect(perfil.statusCode, perfil.body).toBe(200);
    // sessao (TTL 1h): c1 fresh (10 min old), c2 stale (2h old): EXPIRED.
    const sessao = await s.post('/api/ingest/cliente/sessao', {
      rows: [
        { cliente_id: 'c1', event_timestamp: iso(now - 10 * MIN), cliente_cliques: 7 },
        { cliente_id: 'c2', event_timestamp: iso(now - 120 * MIN), cliente_cliques: 3 },
      ],
    });
    expect(sessao.statusCode, sessao.body).toBe(200);
  });
  afterAll(() => s.close());

  it('says what the JSON answer says, for every value type, NOT_FOUND, EXPIRED and repeated keys', async () => {
    const features = [...TYPED.map(([name]) => name.replace('cliente_', '')), 'cliente_cliques', 'futuro'];
    const keys = ['c2', 'c1', 'nobody', 'c1'];
    const { json, arrow, table } = await bothAnswers(keys, features);
    expect(arrow).toEqual(json);
    // The cases are really there.
    expect(json.results.map((r) => r.features['cliente_cliques']!.status)).toEqual(['EXPIRED', 'PRESENT', 'NOT_FOUND', 'PRESENT']);
    expect(json.results[1]!.features['notas']!.value).toEqual([3, -7, 9007199254740991]);
    expect(json.results[0]!.features['cidade']!.value).toBe('');
    expect(json.results[1]!.features['futuro']!.status).toBe('NOT_FOUND');

    // Typed columns with the documented names and types.
    expect(table.schema.fields.map((f) => f.name).slice(0, 7)).toEqual(['entity_key', 'idade', 'idade__status', 'idade__event_timestamp', 'renda', 'renda__status', 'renda__event_timestamp']);
    const typeOf = (name: string) => String(table.schema.fields.find((f) => f.name === name)!.type);
    expect(['idade', 'renda', 'ativo', 'cidade', 'visto_em', 'nascimento', 'notas', 'tags'].map(typeOf)).toEqual([
      'Int64',
      'Float64',
      'Bool',
      'Utf8',
      'Timestamp<MILLISECOND, UTC>',
      'Date32<DAY>',
      'List<Int64>',
      'List<Utf8>',
    ]);
    expect(typeOf('idade__status')).toBe('Dictionary<Int8, Utf8>');
    expect(typeOf('idade__event_timestamp')).toBe('Timestamp<MILLISECOND, UTC>');
    expect(table.getChild('idade')!.get(1)).toBe(41n);
    expect(table.getChild('cliente_cliques')!.nullCount).toBe(2);
  });

  it('carries the entity, resolved names, value types and deprecation warnings (metadata and header)', async () => {
    const deprecated = await s.post('/api/features/cliente_renda/deprecate', { reason: 'Use the monthly income', replaced_by: 'cliente_idade' });
    expect(deprecated.statusCode, deprecated.body).toBe(200);
    // The serving view follows registry changes within a second.
    await new Promise((r) => setTimeout(r, 1100));
    const { json, arrow, table, headers } = await bothAnswers(['c1'], ['renda', 'idade']);
    expect(arrow).toEqual(json);
    expect(json.warnings).toEqual(["Feature 'cliente_renda' is deprecated: Use the monthly income; use 'cliente_idade'"]);
    expect(headers[1]['x-fstore-warning']).toBe(headers[0]['x-fstore-warning']);
    expect(Object.fromEntries(table.schema.metadata)).toEqual({
      'fstore.entity': 'cliente',
      'fstore.features': '["cliente_renda","cliente_idade"]',
      'fstore.value_types': '{"renda":"FLOAT","idade":"INT"}',
      'fstore.warnings': JSON.stringify(json.warnings),
    });
    expect(Object.fromEntries(table.schema.fields[1]!.metadata)).toEqual({ 'fstore.feature': 'cliente_renda', 'fstore.value_type': 'FLOAT' });
  });

  it('answers JSON unless Accept prefers Arrow; unchanged JSON for */*, application/json and types it cannot produce', async () => {
    const body = (await request(['c1', 'c2'], ['idade', 'cidade'])).body;
    for (const accept of ['*/*', 'application/json', 'text/csv', 'application/vnd.apache.arrow.file', `application/json, ${ARROW};q=0.5`, `${ARROW};q=0`]) {
      const res = await request(['c1', 'c2'], ['idade', 'cidade'], accept);
      expect([accept, res.headers['content-type']]).toEqual([accept, 'application/json; charset=utf-8']);
      expect(res.body).toBe(body);
    }
    for (const accept of [ARROW, `${ARROW}, application/json;q=0.9`, `application/json;q=0.5, ${ARROW.toUpperCase()}`, `*/*;q=0.1, ${ARROW}`]) {
      expect([accept, (await request(['c1'], ['idade'], accept)).headers['content-type']]).toEqual([accept, ARROW]);
    }
  });

  it('documents both answers in the OpenAPI document', async () => {
    const doc = (await s.get('/openapi.json')).json();
    const ok = doc.paths['/api/online/features'].post.responses['200'];
    expect(Object.keys(ok.content)).toEqual(['application/json', ARROW]);
    expect(ok.content[ARROW].schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(ok.content['application/json'].schema.required).toEqual(['entity', 'features', 'value_types', 'results']);
  });

  it('answers bad requests with the same JSON errors whatever Accept says', async () => {
    const cases: [string[], string[]][] = [
      [['c1'], ['nao_existe']],
      [[], ['idade']],
      [['c1'], ['idade', 'idade']],
    ];
    for (const [keys, features] of cases) {
      const json = await request(keys, features);
      const arrow = await request(keys, features, ARROW);
      expect(json.statusCode).toBeGreaterThanOrEqual(400);
      // The same error, each naming its own request.
      const withoutId = (body: string) => {
        const { request_id: id, ...error } = (JSON.parse(body) as { error: { request_id?: string } }).error;
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        return { error };
      };
      expect([arrow.statusCode, arrow.headers['content-type'], withoutId(arrow.body)]).toEqual([json.statusCode, json.headers['content-type'], withoutId(json.body)]);
    }
    const entity = await s.post('/api/online/features', { entity: 'ghost', entity_keys: ['x'], feature_list: ['a'] }, { accept: ARROW });
    expect([entity.statusCode, entity.json().error.code]).toEqual([404, 'FSTORE_ENTITY_NOT_FOUND']);
  });

  it('serves on-demand features in Arrow as in JSON', async () => {
    const source = await s.post('/api/data-sources/', { name: 'perfil_src', type: 'feature_group', feature_group: 'perfil' });
    expect(source.statusCode, source.body).toBe(201);
    const code = `export default function transform(row: { cliente_idade: number | null; cliente_cidade: string | null }) {
  if (row.cliente_idade === null) return null;
  return { cliente_dobro: row.cliente_idade * 2, cliente_maior: row.cliente_idade >= 18, cliente_rotulo: (row.cliente_cidade ?? '?') + '/' + row.cliente_idade };
}`;
    const published = await s.post('/api/transforms/', { name: 'cliente_derivados', language: 'typescript', code, sources: ['perfil_src'], entity: 'cliente', on_demand: true });
    expect(published.statusCode, published.body).toBe(201);
    const job = await waitForJob(s, (await s.post('/api/transforms/cliente_derivados/runs', {})).json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const { json, arrow, table } = await bothAnswers(['c1', 'nobody', 'c2'], ['dobro', 'maior', 'rotulo', 'idade']);
    expect(arrow).toEqual(json);
    expect(json.results[0]!.features['dobro']).toEqual({ value: 82, status: 'PRESENT', event_timestamp: '2025-01-10T00:00:00.000Z' });
    expect(json.results[1]!.features['dobro']!.status).toBe('NOT_FOUND');
    // Value types of on-demand features come from the transform's preview: JS numbers are FLOAT.
    expect(String(table.getChild('dobro')!.type)).toBe('Float64');
    expect(table.getChild('rotulo')!.get(0)).toBe('São Paulo "SP"\n/41');
  });
});
