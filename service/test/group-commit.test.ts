import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/streaming/group-commit.js';

describe('GroupCommit', () => {
  it('merges what is submitted while a flush runs into the next flush, in order', async () => {
    const flushes: number[][] = [];
    let release!: () => void;
    const firstBlocked = new Promise<void>((r) => (release = r));
    const commit = new GroupCommit<number>(async (items) => {
      flushes.push(items);
      if (flushes.length === 1) await firstBlocked;
    });
    const a = commit.submit([1, 2]);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const b = commit.submit([3]);
    const c = commit.submit([4, 5]);
    release();
    await Promise.all([a, b, c]);
    expect(flushes).toEqual([[1, 2], [3, 4, 5]]);
  });

  it('rejects every caller of a failed flush and goes on with the next', async () => {
    let calls = 0;
    const commit = new GroupCommit<string>(async (items) => {
      calls++;
      if (items.includes('bad')) throw new Error('store refused');
    });
    const results = await Promise.allSettled([commit.submit(['ok']), commit.submit(['bad'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']); // same flush
    await expect(commit.submit(['fine'])).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
