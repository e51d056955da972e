/**
 * Naming and documentation hints from the seed's best practices: snake_case is enforced elsewhere;
 * these are recommendations (shown in the app as hints and by `fstore plan` as warnings).
 */
import { entityPrefixWarning } from './names.js';

export interface LintInput {
  kind: 'entity' | 'feature_group' | 'feature' | 'data_source' | 'transform' | 'feature_service';
  name: string;
  entity?: string | undefined;
  description?: string | undefined;
  tags?: readonly string[] | undefined;
}

export interface LintHint {
  rule: 'entity_prefix' | 'description' | 'tags' | 'descriptive_name';
  message: string;
}

/** Tokens that say nothing about what a value means. */
const VAGUE = new Set(['feature', 'feat', 'col', 'column', 'value', 'val', 'var', 'tmp', 'temp', 'test', 'data', 'misc', 'new', 'x', 'y', 'z']);

export function lintNames(object: LintInput): LintHint[] {
  const hints: LintHint[] = [];
  if (object.kind === 'feature' && object.entity) {
    const prefix = entityPrefixWarning(object.name, object.entity);
    if (prefix) hints.push({ rule: 'entity_prefix', message: prefix });
  }
  if (!object.description || object.description.trim().length === 0) {
    hints.push({ rule: 'description', message: `${label(object.kind)} '${object.name}' has no description; say what it measures and in which unit` });
  }
  if (object.kind === 'feature' && (!object.tags || object.tags.length === 0)) {
    hints.push({ rule: 'tags', message: `Feature '${object.name}' has no tags; tags make it findable (for example the domain or the team)` });
  }
  const vague = explainVague(object.name, object.entity);
  if (vague) hints.push({ rule: 'descriptive_name', message: `${label(object.kind)} '${object.name}': ${vague}` });
  return hints;
}

function explainVague(name: string, entity: string | undefined): string | undefined {
  const core = entity && name.startsWith(`${entity}_`) ? name.slice(entity.length + 1) : name;
  const tokens = core.split('_').filter(Boolean);
  if (core.length < 3) return `'${core}' is too short to say what it is`;
  if (tokens.every((t) => VAGUE.has(t) || /^\d+$/.test(t) || /^[a-z]\d+$/.test(t))) return `'${core}' does not say what the value means (for example avg_transaction_value_30d)`;
  return undefined;
}

function label(kind: LintInput['kind']): string {
  return { entity: 'Entity', feature_group: 'Feature group', feature: 'Feature', data_source: 'Data source', transform: 'Transform', feature_service: 'Feature service' }[kind];
}
