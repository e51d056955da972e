import { describe, expect, it } from 'vitest';
import type { IngestPreview } from '@shared/api/serving.js';
import {
  EMPTY_TARGET,
  confirmedColumns,
  entityStatus,
  groupStatus,
  ingestBlockers,
  keyColumnOptions,
  previewQuery,
  shownKeyColumn,
  shownTimeColumn,
  suggestEntity,
  targetNameErrors,
  timeColumnOptions,
  type IngestPlan,
} from './ingest-target.js';

const COLUMNS = ['usuario_id', 'event_timestamp', 'usuario_idade', 'created_at', 'pedido_key'];

function preview(over: Partial<IngestPreview> = {}): IngestPreview {
  return {
    rows: 3,
    columns: COLUMNS.map((name) => ({ name, source_type: 'VARCHAR' })),
    sample: [],
    time_candidates: ['event_timestamp', 'created_at'],
    plan: null,
    problems: [],
    validation: null,
    ...over,
  };
}

const PLAN: IngestPlan = {
  entity: 'usuario',
  entity_exists: false,
  feature_group: 'demografia',
  group_exists: false,
  entity_key_column: 'usuario_id',
  event_time_column: 'event_timestamp',
  key_candidates: ['usuario_id', 'pedido_key'],
  time_candidates: ['event_timestamp', 'created_at'],
  features: [{ column: 'usuario_idade', feature: 'usuario_idade', value_type: 'INT', registration: 'new' }],
  warnings: [],
};

describe('the preview query', () => {
  it('sends entity and group only when both are valid names', () => {
    expect(previewQuery(EMPTY_TARGET)).toEqual({});
    expect(previewQuery({ entity: 'usuario', featureGroup: '' })).toEqual({});
    expect(previewQuery({ entity: ' usuario ', featureGroup: 'demografia' })).toEqual({ entity: 'usuario', feature_group: 'demografia' });
    expect(previewQuery({ entity: 'Usuario', featureGroup: 'demografia' })).toEqual({});
  });

  it('passes the column choices, null meaning the ingestion time', () => {
    expect(previewQuery({ entity: 'usuario', featureGroup: 'demografia', keyColumn: 'pedido_key', timeColumn: null })).toEqual({
      entity: 'usuario',
      feature_group: 'demografia',
      key_column: 'pedido_key',
      time_column: null,
    });
  });
});

describe('names', () => {
  it('explains names that are not snake_case, once typed', () => {
    expect(targetNameErrors(EMPTY_TARGET)).toEqual({});
    expect(targetNameErrors({ entity: 'Usuario', featureGroup: 'dados demograficos' })).toEqual({
      entity: expect.stringContaining('is not snake_case'),
      featureGroup: expect.stringContaining('is not snake_case'),
    });
  });

  it('says whether the entity and group exist or will be created', () => {
    expect(entityStatus({ entity: 'usuario', featureGroup: '' }, ['usuario'])).toEqual({ kind: 'existing' });
    expect(entityStatus({ entity: 'cliente', featureGroup: '' }, ['usuario'])).toEqual({ kind: 'new' });
    expect(entityStatus(EMPTY_TARGET, [])).toEqual({ kind: 'empty' });
    expect(entityStatus({ entity: 'Cliente', featureGroup: '' }, []).kind).toBe('invalid');

    const groups = [{ name: 'demografia', entity: 'usuario' }];
    expect(groupStatus({ entity: 'usuario', featureGroup: 'demografia' }, groups)).toEqual({ kind: 'existing' });
    expect(groupStatus({ entity: 'usuario', featureGroup: 'financeiro' }, groups)).toEqual({ kind: 'new' });
    expect(groupStatus({ entity: 'pedido', featureGroup: 'demografia' }, groups)).toEqual({
      kind: 'conflict',
      message: "Feature group 'demografia' belongs to entity 'usuario', not 'pedido'",
    });
  });
});

describe('column choices', () => {
  it('puts the suggested columns first, from the plan when there is one', () => {
    expect(keyColumnOptions(preview())).toEqual({
      suggested: ['usuario_id', 'pedido_key'],
      others: ['event_timestamp', 'usuario_idade', 'created_at'],
    });
    expect(timeColumnOptions(preview())).toEqual({
      suggested: ['event_timestamp', 'created_at'],
      others: ['usuario_id', 'usuario_idade', 'pedido_key'],
    });
    const planned = preview({ plan: { ...PLAN, key_candidates: ['pedido_key', 'gone'] } });
    expect(keyColumnOptions(planned).suggested).toEqual(['pedido_key']);
  });

  it("shows the user's choice, else the plan's", () => {
    expect(shownKeyColumn(EMPTY_TARGET, undefined)).toBe('');
    expect(shownKeyColumn(EMPTY_TARGET, preview({ plan: PLAN }))).toBe('usuario_id');
    expect(shownKeyColumn({ ...EMPTY_TARGET, keyColumn: 'pedido_key' }, preview({ plan: PLAN }))).toBe('pedido_key');
    expect(shownTimeColumn(EMPTY_TARGET, preview())).toBeUndefined();
    expect(shownTimeColumn(EMPTY_TARGET, preview({ plan: { ...PLAN, event_time_column: null } }))).toBeNull();
    expect(shownTimeColumn({ ...EMPTY_TARGET, timeColumn: 'created_at' }, preview({ plan: PLAN }))).toBe('created_at');
  });

  it('confirms to the job exactly the columns of the plan', () => {
    expect(confirmedColumns(PLAN)).toEqual({ key_column: 'usuario_id', time_column: 'event_timestamp' });
    expect(confirmedColumns({ ...PLAN, event_time_column: null })).toEqual({ key_column: 'usuario_id', time_column: null });
  });
});

describe('ingestBlockers', () => {
  const target = { entity: 'usuario', featureGroup: 'demografia' };

  it('asks for the destination first', () => {
    expect(ingestBlockers({ target: EMPTY_TARGET, preview: preview(), isPreviewCurrent: true })).toEqual([
      'Choose an entity',
      'Choose a feature group',
    ]);
    expect(ingestBlockers({ target: { entity: 'Usuario', featureGroup: 'demografia' }, preview: preview(), isPreviewCurrent: true })).toEqual([
      'Fix the entity name',
    ]);
  });

  it('waits for the preview of the current choices', () => {
    expect(ingestBlockers({ target, preview: preview({ plan: PLAN }), isPreviewCurrent: false })).toEqual(['Checking the file…']);
  });

  it('blocks on problems and invalid rows', () => {
    const bad = preview({ plan: PLAN, problems: ["column 'X' is not snake_case"], validation: { invalid_rows: 2, errors: [] } });
    expect(ingestBlockers({ target, preview: bad, isPreviewCurrent: true })).toEqual(['1 problem would reject the batch', '2 rows are invalid']);
    const noKey = preview({ problems: ['No entity key column'] });
    expect(ingestBlockers({ target, preview: noKey, isPreviewCurrent: true })).toEqual(['1 problem would reject the batch']);
  });

  it('lets a clean plan through', () => {
    const clean = preview({ plan: PLAN, validation: { invalid_rows: 0, errors: [] } });
    expect(ingestBlockers({ target, preview: clean, isPreviewCurrent: true })).toEqual([]);
  });
});

describe('suggestEntity', () => {
  it('prefers an existing entity whose key column is in the file', () => {
    expect(suggestEntity(['pedido_id', 'usuario_id', 'valor'], ['usuario'])).toBe('usuario');
  });

  it('else reads the entity from the first <name>_id column', () => {
    expect(suggestEntity(['event_timestamp', 'loja_id', 'cidade'], [])).toBe('loja');
    expect(suggestEntity(['id', 'Cliente_ID', 'nome'], [])).toBeUndefined();
  });
});

describe('ingestBlockers after a failed check', () => {
  it('stops saying the file is being checked once the check failed', () => {
    for (const target of [EMPTY_TARGET, { ...EMPTY_TARGET, entity: 'usuario', featureGroup: 'demografia' }]) {
      expect(ingestBlockers({ target, preview: undefined, isPreviewCurrent: false, hasPreviewFailed: true })).toEqual([
        'The file could not be checked (see the message above)',
      ]);
    }
  });
});
