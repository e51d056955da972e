/**
 * What a definition file holds per kind: the authored fields, in a stable order, with the defaults
 * the registry applies, so an omitted field and its default compare equal.
 */
import type { DefinitionKind } from '@shared/api/definitions.js';
import { formatOfName } from '@shared/domain/data-formats.js';
import { defaultFeatureType, type ValueType } from '@shared/domain/value-types.js';

export const FIELDS: Record<DefinitionKind, readonly string[]> = {
  entity: ['name', 'join_key', 'description', 'tags'],
  feature_group: ['name', 'entity', 'description', 'owner', 'tags', 'source', 'ttl_seconds', 'online'],
  feature: ['name', 'entity', 'feature_group', 'value_type', 'feature_type', 'description', 'tags', 'owner', 'source', 'validation'],
  data_source: ['name', 'type', 'description', 'owner', 'tags', 'path', 'format', 'connection', 'table', 'query', 'feature_group'],
  transform: ['name', 'entity', 'feature_group', 'language', 'sources', 'code', 'entity_key_column', 'event_time_column', 'on_demand', 'request_inputs', 'ttl_seconds', 'online', 'engine', 'description', 'owner', 'tags'],
  // The entity is derived from the features, not authored.
  feature_service: ['name', 'description', 'owner', 'tags', 'features'],
};

/** Fields that cannot change on an existing object (a new object is the way). */
export const IMMUTABLE: Record<DefinitionKind, readonly string[]> = {
  entity: [],
  feature_group: ['entity'],
  feature: ['entity'],
  data_source: ['type'],
  transform: ['entity'],
  feature_service: [],
};

export const BUNDLE_KEY: Record<DefinitionKind, 'entities' | 'feature_groups' | 'features' | 'data_sources' | 'transforms' | 'feature_services'> = {
  entity: 'entities',
  feature_group: 'feature_groups',
  feature: 'features',
  data_source: 'data_sources',
  transform: 'transforms',
  feature_service: 'feature_services',
};

/** The object with every field present (defaults filled), in FIELDS order, nothing else. */
export function normalize(kind: DefinitionKind, raw: Record<string, unknown>, context: { joinKeyOf?: (entity: string) => string } = {}): Record<string, unknown> {
  const name = String(raw['name']);
  const get = (field: string, fallback: unknown) => (raw[field] === undefined ? fallback : raw[field]);
  const tags = (t: unknown) => (Array.isArray(t) ? [...new Set(t.map((x) => String(x).trim()).filter(Boolean))] : []);
  let full: Record<string, unknown>;
  switch (kind) {
    case 'entity':
      full = { name, join_key: get('join_key', `${name}_id`), description: get('description', ''), tags: tags(raw['tags']) };
      break;
    case 'feature_group':
      full = {
        name,
        entity: raw['entity'],
        description: get('description', ''),
        owner: get('owner', ''),
        tags: tags(raw['tags']),
        source: get('source', null),
        ttl_seconds: get('ttl_seconds', null),
        online: get('online', true),
      };
      break;
    case 'feature': {
      const valueType = raw['value_type'] as ValueType;
      full = {
        name,
        entity: raw['entity'],
        feature_group: get('feature_group', null),
        value_type: valueType,
        feature_type: get('feature_type', valueType ? defaultFeatureType(valueType) : undefined),
        description: get('description', ''),
        tags: tags(raw['tags']),
        owner: get('owner', ''),
        source: get('source', null),
        validation: get('validation', null),
      };
      break;
    }
    case 'data_source': {
      const path = get('path', null) as string | null;
      full = {
        name,
        type: raw['type'],
        description: get('description', ''),
        owner: get('owner', ''),
        tags: tags(raw['tags']),
        path,
        format: get('format', path ? (formatOfName(path.replace(/[*?[\]{}]/g, 'x')) ?? null) : null),
        connection: get('connection', null),
        table: get('table', null),
        query: get('query', null),
        feature_group: get('feature_group', null),
      };
      break;
    }
    case 'transform': {
      const entity = String(raw['entity']);
      full = {
        name,
        entity,
        feature_group: get('feature_group', name),
        language: raw['language'],
        sources: Array.isArray(raw['sources']) ? raw['sources'] : [],
        code: raw['code'],
        entity_key_column: get('entity_key_column', context.joinKeyOf?.(entity) ?? `${entity}_id`),
        event_time_column: get('event_time_column', null),
        on_demand: get('on_demand', false),
        // Stored only when some are declared: none and an empty list are the same definition.
        request_inputs: Array.isArray(raw['request_inputs']) && raw['request_inputs'].length > 0 ? raw['request_inputs'] : null,
        ttl_seconds: get('ttl_seconds', null),
        online: get('online', true),
        engine: get('engine', null),
        description: get('description', ''),
        owner: get('owner', ''),
        tags: tags(raw['tags']),
      };
      break;
    }
    case 'feature_service':
      full = {
        name,
        description: get('description', ''),
        owner: get('owner', ''),
        tags: tags(raw['tags']),
        // As written; the plan resolves them to feature names (definitions-service.ts), as the registry stores them.
        features: Array.isArray(raw['features']) ? raw['features'].map(String) : [],
      };
      break;
  }
  return Object.fromEntries(FIELDS[kind].map((f) => [f, full[f] === undefined ? null : full[f]]));
}
