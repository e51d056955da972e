import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, isWellFormedText, jsonValueProblem, MAX_JSON_DEPTH, NOT_UNICODE, TOO_DEEP } from '@shared/domain/json-value.js';
import { deepJsonLine, MAX_JSON_FILE_DEPTH } from '../src/staging/json-file-depth.js';
import { freshDataDir } from './helpers.js';

const nestedArray = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('JSON nesting depth', () => {
  it('counts levels of arrays and objects exactly, scalars being none', () => {
    expect(exceedsJsonDepth('[[[[]]]]')).toBe(false);
    expect(exceedsJsonDepth(null)).toBe(false);
    expect(exceedsJsonDepth(nestedArray(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nestedArray(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth({ a: [{ b: [1] }] }, 4)).toBe(false);
    expect(exceedsJsonDepth({ a: [{ b: [1] }] }, 3)).toBe(true);
    // Wide is not deep; a deep branch after many shallow ones is found.
    expect(exceedsJsonDepth(Array.from({ length: 100_000 }, (_, i) => [i]))).toBe(false);
    expect(exceedsJsonDepth([...Array.from({ length: 1000 }, () => [1]), nestedArray(100)])).toBe(true);
  });

  it('checks a million levels without overflowing the stack', () => {
    expect(exceedsJsonDepth(JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)))).toBe(true);
  });

  it('scans files for the line where they nest too deeply, ignoring brackets and escaped quotes in strings', async () => {
    const dir = freshDataDir();
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(await deepJsonLine(file('a.ndjson', `{"a":${deep(MAX_JSON_FILE_DEPTH - 1)}}\n`))).toBeNull();
    expect(await deepJsonLine(file('b.ndjson', `{"a":1}\n{"a":2}\n{"a":${deep(MAX_JSON_FILE_DEPTH)}}\n`))).toBe(3);
    expect(await deepJsonLine(file('c.ndjson', `{"a":"${'['.repeat(500)}","b":"\\\\","c":"\\"${'{'.repeat(500)}"}\n`))).toBeNull();
    // The state carries across read chunks (1 MiB): a deep value straddling one is found.
    const padding = `{"pad":"${'x'.repeat((1 << 20) - 40)}"}\n`;
    expect(await deepJsonLine(file('d.ndjson', `${padding}{"a":${deep(5000)}}\n`))).toBe(2);
  });

  it('finds text that is not Unicode (a lone surrogate) in strings and object keys, at any depth', () => {
    expect(isWellFormedText('a\ud83d\ude00b')).toBe(true); // a pair: one emoji
    expect(isWellFormedText('\ud800')).toBe(false);
    expect(isWellFormedText('x\udc00')).toBe(false);
    expect(isWellFormedText('\ude00\ud83d')).toBe(false); // halves in the wrong order
    expect(jsonValueProblem('São Paulo 😀')).toBeUndefined();
    expect(jsonValueProblem({ cidade: ['ok', { 'nested key': 'ok' }] })).toBeUndefined();
    expect(jsonValueProblem('\ud800')).toBe(NOT_UNICODE);
    expect(jsonValueProblem([1, [2, ['\udfff']]])).toBe(NOT_UNICODE);
    expect(jsonValueProblem({ a: { ['k\ud800']: 1 } })).toBe(NOT_UNICODE);
    expect(jsonValueProblem(nestedArray(MAX_JSON_DEPTH + 1))).toBe(TOO_DEEP);
    // The depth check alone ignores text, as before.
    expect(exceedsJsonDepth(['\ud800'])).toBe(false);
  });
});
