import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { explainInvalidServiceMode } from '@shared/ipc/desktop-api.js';
import type { DesktopSettings, ServiceMode } from '@shared/ipc/desktop-api.js';

export const SETTINGS_FILE_NAME = 'settings.json';

export const DEFAULT_SETTINGS: DesktopSettings = { serviceMode: { kind: 'bundled' } };

export interface LoadedSettings {
  settings: DesktopSettings;
  /** Set when the file existed but could not be used; the defaults were returned instead. */
  warning?: string;
}

/** Reads settings from `file`. A missing file gives the defaults; a broken one gives the defaults plus a warning. */
export async function readSettings(file: string): Promise<LoadedSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return { settings: DEFAULT_SETTINGS };
    return { settings: DEFAULT_SETTINGS, warning: `cannot read ${file}: ${String(error)}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { settings: DEFAULT_SETTINGS, warning: `${file} is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { settings: DEFAULT_SETTINGS, warning: `${file} must hold a JSON object` };
  }
  const serviceMode = (parsed as { serviceMode?: unknown }).serviceMode;
  const problem = explainInvalidServiceMode(serviceMode);
  if (problem !== undefined) {
    return { settings: DEFAULT_SETTINGS, warning: `${file}: serviceMode: ${problem}` };
  }
  return { settings: { serviceMode: copyServiceMode(serviceMode as ServiceMode) } };
}

/** Validates and writes settings atomically (temporary file + rename). Throws on invalid input. */
export async function writeSettings(file: string, settings: DesktopSettings): Promise<DesktopSettings> {
  const problem = explainInvalidServiceMode(settings.serviceMode);
  if (problem !== undefined) throw new Error(`invalid service mode: ${problem}`);
  const clean: DesktopSettings = { serviceMode: copyServiceMode(settings.serviceMode) };
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(clean, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
  return clean;
}

/** Copies only the known fields, so nothing else from an untrusted object is ever persisted. */
function copyServiceMode(mode: ServiceMode): ServiceMode {
  return mode.kind === 'remote' ? { kind: 'remote', url: mode.url } : { kind: 'bundled' };
}

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
