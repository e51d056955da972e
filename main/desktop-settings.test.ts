import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, readSettings, writeSettings } from './desktop-settings.js';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fstore-settings-'));
  file = path.join(dir, 'nested', 'settings.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('desktop settings', () => {
  it('defaults to the bundled service when no file exists', async () => {
    expect(await readSettings(file)).toEqual({ settings: { serviceMode: { kind: 'bundled' } } });
  });

  it('round-trips a remote service mode', async () => {
    const written = await writeSettings(file, { serviceMode: { kind: 'remote', url: 'https://fstore.example.com' } });
    expect(written).toEqual({ serviceMode: { kind: 'remote', url: 'https://fstore.example.com' } });
    expect(await readSettings(file)).toEqual({ settings: written });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(written);
  });

  it('refuses to write an invalid mode and keeps the previous file', async () => {
    await writeSettings(file, { serviceMode: { kind: 'bundled' } });
    const invalid = { serviceMode: { kind: 'remote', url: 'ftp://x' } } as const;
    await expect(writeSettings(file, invalid as never)).rejects.toThrow(/not a valid http\(s\) URL/);
    expect((await readSettings(file)).settings).toEqual(DEFAULT_SETTINGS);
  });

  it('persists only known fields', async () => {
    const sneaky = { serviceMode: { kind: 'remote', url: 'http://10.0.0.5:8000' }, extra: 'x' } as never;
    await writeSettings(file, sneaky);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ serviceMode: { kind: 'remote', url: 'http://10.0.0.5:8000' } });
  });

  it.each([
    ['not json', '{oops', /not valid JSON/],
    ['an array', '[]', /JSON object/],
    ['a bad mode', '{"serviceMode":{"kind":"cloud"}}', /serviceMode: service mode kind must be/],
    ['a bad URL', '{"serviceMode":{"kind":"remote","url":"javascript:alert(1)"}}', /not a valid http/],
    ['extra fields on bundled', '{"serviceMode":{"kind":"bundled","url":"http://x"}}', /takes no other fields/],
  ])('falls back to the defaults with a warning for %s', async (_label, content, warning) => {
    await writeSettings(file, DEFAULT_SETTINGS);
    await writeFile(file, content);
    const loaded = await readSettings(file);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.warning).toMatch(warning);
  });
});
