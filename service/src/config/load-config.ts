import { readFileSync } from 'node:fs';
import { Value } from 'typebox/value';
import { CONFIG_ENV, ServiceConfig } from './config-schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Resolves the configuration: schema defaults, then the JSON config file, then FSTORE_* variables,
 * then explicit overrides (CLI flags). Throws ConfigError naming every offending key.
 */
export function loadConfig(options: {
  file?: string | undefined;
  env?: Record<string, string | undefined>;
  overrides?: Partial<ServiceConfig>;
} = {}): ServiceConfig {
  const merged: Record<string, unknown> = Value.Create(ServiceConfig) as Record<string, unknown>;
  if (options.file) Object.assign(merged, readConfigFile(options.file));
  Object.assign(merged, fromEnv(options.env ?? {}));
  for (const [k, v] of Object.entries(options.overrides ?? {})) if (v !== undefined) merged[k] = v;
  return validate(merged, options.file);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`Config file ${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Environment values are strings: each is parsed by the type its key has in the schema. */
function fromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(CONFIG_ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    out[key] = parseEnvValue(raw, ServiceConfig.properties[key] as { type?: unknown });
  }
  return out;
}

/** A value that does not parse is passed on as is, so validation names the variable and the type. */
function parseEnvValue(raw: string, schema: { type?: unknown }): unknown {
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    case 'array':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    default:
      return raw;
  }
}

function validate(candidate: Record<string, unknown>, file: string | undefined): ServiceConfig {
  const known = new Set(Object.keys(ServiceConfig.properties));
  const unknown = Object.keys(candidate).filter((k) => !known.has(k));
  const problems = unknown.map((k) => `unknown key '${k}' (known keys: ${[...known].join(', ')})`);
  if (unknown.length === 0) {
    for (const error of Value.Errors(ServiceConfig, candidate)) {
      const key = error.instancePath.replace(/^\//, '') || '(root)';
      const envName = Object.entries(CONFIG_ENV).find(([, k]) => k === key)?.[0];
      problems.push(`'${key}'${envName ? ` (env ${envName})` : ''} ${error.message}`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration${file ? ` (file ${file})` : ''}:\n  - ${problems.join('\n  - ')}`);
  }
  return candidate as ServiceConfig;
}
