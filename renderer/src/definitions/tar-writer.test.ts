import { describe, expect, it } from 'vitest';
import { createTar } from './tar-writer.js';

const MTIME = 1_767_225_600; // 2026-01-01T00:00:00Z
const decoder = new TextDecoder();

interface ParsedEntry {
  path: string;
  mode: number;
  size: number;
  mtime: number;
  type: string;
  magic: string;
  version: string;
  checksum: number;
  computedChecksum: number;
  text: string;
}

const text = (block: Uint8Array, offset: number, length: number) => decoder.decode(block.subarray(offset, offset + length)).replace(/\0.*$/s, '');
const octal = (block: Uint8Array, offset: number, length: number) => parseInt(text(block, offset, length).trim(), 8);

/** Reads an archive back the way tar does: header, content padded to 512 bytes, until a zero block. */
function parseTar(archive: Uint8Array): { entries: ParsedEntry[]; endOffset: number } {
  const entries: ParsedEntry[] = [];
  let offset = 0;
  for (;;) {
    const block = archive.subarray(offset, offset + 512);
    if (block.every((b) => b === 0)) break;
    const size = octal(block, 124, 12);
    const unsigned = [...block].map((b, i) => (i >= 148 && i < 156 ? 0x20 : b)).reduce((sum, b) => sum + b, 0);
    const prefix = text(block, 345, 155);
    const name = text(block, 0, 100);
    entries.push({
      path: prefix ? `${prefix}/${name}` : name,
      mode: octal(block, 100, 8),
      size,
      mtime: octal(block, 136, 12),
      type: String.fromCharCode(block[156]!),
      magic: decoder.decode(block.subarray(257, 263)),
      version: decoder.decode(block.subarray(263, 265)),
      checksum: octal(block, 148, 8),
      computedChecksum: unsigned,
      text: decoder.decode(archive.subarray(offset + 512, offset + 512 + size)),
    });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return { entries, endOffset: offset };
}

describe('createTar', () => {
  const files = [
    { path: 'definitions/features/usuario_idade.yaml', text: 'name: usuario_idade\ndescription: Idade do usuário\n' },
    { path: 'definitions/entities/usuario.yaml', text: 'name: usuario\n' },
    { path: 'definitions/transforms/stats.sql', text: 'SELECT 1\n'.repeat(100) },
  ];

  it('writes ustar headers that read back: paths, modes, sizes, time, type and a valid checksum', () => {
    const { entries } = parseTar(createTar(files, MTIME));
    expect(entries.map((e) => `${e.type} ${e.path}`)).toEqual([
      '5 definitions/',
      '5 definitions/entities/',
      '5 definitions/features/',
      '5 definitions/transforms/',
      '0 definitions/entities/usuario.yaml',
      '0 definitions/features/usuario_idade.yaml',
      '0 definitions/transforms/stats.sql',
    ]);
    for (const e of entries) {
      expect(e.magic).toBe('ustar\0');
      expect(e.version).toBe('00');
      expect(e.mtime).toBe(MTIME);
      expect(e.checksum).toBe(e.computedChecksum);
      expect(e.mode).toBe(e.type === '5' ? 0o755 : 0o644);
    }
    const feature = entries.find((e) => e.path === 'definitions/features/usuario_idade.yaml')!;
    // Sizes count UTF-8 bytes, not characters ("á" is two bytes).
    expect(feature.size).toBe(new TextEncoder().encode(files[0]!.text).length);
    expect(feature.size).toBe(files[0]!.text.length + 1);
    expect(feature.text).toBe(files[0]!.text);
    expect(entries.find((e) => e.path.endsWith('stats.sql'))!.text).toBe(files[2]!.text);
  });

  it('pads every content to 512 bytes, ends with two zero blocks, and fills whole 10 KiB records', () => {
    const archive = createTar(files, MTIME);
    const { endOffset } = parseTar(archive);
    // 7 headers, contents of 52, 14 and 900 bytes -> 1 + 1 + 2 blocks.
    expect(endOffset).toBe(512 * (7 + 4));
    expect(archive.length % 10_240).toBe(0);
    expect(archive.length - endOffset).toBeGreaterThanOrEqual(1024);
    expect(archive.subarray(endOffset).every((b) => b === 0)).toBe(true);
    const statsHeader = 512 * 6 + 512 * 2;
    expect(decoder.decode(archive.subarray(statsHeader, statsHeader + 100))).toContain('stats.sql');
  });

  it('keeps an empty file as a header alone', () => {
    const { entries, endOffset } = parseTar(createTar([{ path: 'a/empty.yaml', text: '' }], MTIME));
    expect(entries.map((e) => [e.path, e.size])).toEqual([
      ['a/', 0],
      ['a/empty.yaml', 0],
    ]);
    expect(endOffset).toBe(1024);
  });

  it('moves leading folders of a path longer than 100 bytes into the prefix field', () => {
    const long = `definitions/${'d'.repeat(80)}/${'f'.repeat(60)}.yaml`;
    const { entries } = parseTar(createTar([{ path: long, text: 'x' }], MTIME));
    expect(entries.map((e) => e.path)).toEqual(['definitions/', `definitions/${'d'.repeat(80)}/`, long]);
    expect(() => createTar([{ path: `${'f'.repeat(101)}.yaml`, text: '' }], MTIME)).toThrow(/too long/);
  });

  it('refuses paths that would write outside the folder, and duplicates', () => {
    expect(() => createTar([{ path: '../evil.yaml', text: '' }], MTIME)).toThrow(/not a relative file path/);
    expect(() => createTar([{ path: '/etc/passwd', text: '' }], MTIME)).toThrow(/not a relative file path/);
    expect(() => createTar([{ path: 'a//b', text: '' }], MTIME)).toThrow(/not a relative file path/);
    expect(() => createTar([{ path: 'a/b', text: '' }, { path: 'a/b', text: 'x' }], MTIME)).toThrow(/listed twice/);
  });
});
