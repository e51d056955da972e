import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnlineStore, StoredValue } from '../../src/storage/online-store.js';

const v = (json: string, eventTime: number): StoredValue => ({ json, eventTime });

/**
 * The contract every online store adapter must meet. `open` returns a fresh, empty store; the
 * suite uses its own entity names so it can share a server with other suites.
 */
export function onlineStoreConformance(name: string, open: () => Promise<OnlineStore>): void {
  describe(`OnlineStore conformance: ${name}`, () => {
    let store: OnlineStore;
    const entity = `conf_${Math.random().toString(36).slice(2, 8)}`;
    const target = (group: string) => ({ entity, group, ttlSeconds: null });

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it('reads back what was written, per key, group and feature, in request order', async () => {
      await store.write(target('g1'), [
        { entityKey: 'k1', values: { a: v('1', 1000), b: v('"x"', 1000) } },
        { entityKey: 'k2', values: { a: v('2', 1000) } },
      ]);
      await store.write(target('g2'), [{ entityKey: 'k1', values: { c: v('[1,2]', 500) } }]);
      const result = await store.read(entity, ['k2', 'k1', 'missing'], [
        { group: 'g2', features: ['c'] },
        { group: 'g1', features: ['b', 'a'] },
      ]);
      expect(result).toEqual([
        [[undefined], [undefined, v('2', 1000)]],
        [[v('[1,2]', 500)], [v('"x"', 1000), v('1', 1000)]],
        [[undefined], [undefined, undefined]],
      ]);
    });

    it('never lets an older event overwrite a newer value; equal times overwrite', async () => {
      await store.write(target('order'), [{ entityKey: 'k', values: { a: v('"new"', 2000) } }]);
      const applied = await store.write(target('order'), [{ entityKey: 'k', values: { a: v('"old"', 1000) } }]);
      expect(applied).toBe(0);
      expect((await store.read(entity, ['k'], [{ group: 'order', features: ['a'] }]))[0]![0]![0]).toEqual(v('"new"', 2000));
      await store.write(target('order'), [{ entityKey: 'k', values: { a: v('"same-time"', 2000) } }]);
      expect((await store.read(entity, ['k'], [{ group: 'order', features: ['a'] }]))[0]![0]![0]).toEqual(v('"same-time"', 2000));
    });

    it('ties on event time: the later write wins, in order and out of order, and within one write the later row', async () => {
      const read = async (features: string[]) => (await store.read(entity, ['k'], [{ group: 'tie', features }]))[0]![0]!;
      // In order: the key's newest time is the incoming one (the adapters' fast path).
      await store.write(target('tie'), [{ entityKey: 'k', values: { a: v('"first"', 1000), b: v('"b"', 3000) } }]);
      expect(await store.write(target('tie'), [{ entityKey: 'k', values: { b: v('"b-again"', 3000) } }])).toBe(1);
      // Out of order: a newer value of another feature is stored (the per-feature path).
      expect(await store.write(target('tie'), [{ entityKey: 'k', values: { a: v('"second"', 1000) } }])).toBe(1);
      expect(await read(['a', 'b'])).toEqual([v('"second"', 1000), v('"b-again"', 3000)]);
      // One write carrying the same key twice at one time: its later row wins.
      await store.write(target('tie'), [
        { entityKey: 'k', values: { a: v('"third"', 1000) } },
        { entityKey: 'k', values: { a: v('"fourth"', 1000) } },
      ]);
      expect(await read(['a'])).toEqual([v('"fourth"', 1000)]);
    });

    it("a group's first write merges a key it carries twice, by event time, as any later write does", async () => {
      const applied = await store.write(target('first'), [
        { entityKey: 'k', values: { a: v('"new"', 2000), b: v('"b"', 500) } },
        { entityKey: 'other', values: { a: v('1', 1) } },
        { entityKey: 'k', values: { a: v('"old"', 1000), c: v('"c"', 700) } },
      ]);
      expect(applied).toBe(4);
      expect(await store.read(entity, ['k', 'other'], [{ group: 'first', features: ['a', 'b', 'c'] }])).toEqual([
        [[v('"new"', 2000), v('"b"', 500), v('"c"', 700)]],
        [[v('1', 1), undefined, undefined]],
      ]);
    });

    it('keeps features of one key independent: a partial write leaves the others', async () => {
      await store.write(target('partial'), [{ entityKey: 'k', values: { a: v('1', 10), b: v('1', 10) } }]);
      await store.write(target('partial'), [{ entityKey: 'k', values: { b: v('2', 20) } }]);
      const result = await store.read(entity, ['k'], [{ group: 'partial', features: ['a', 'b'] }]);
      expect(result[0]![0]).toEqual([v('1', 10), v('2', 20)]);
    });

    it('resolves concurrent out-of-order writers to the newest event per feature', async () => {
      const writers = Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 25; i++) {
            const t = ((i * 8 + w) * 7919) % 200; // a scrambled permutation of 0..199
            await store.write(target('race'), [{ entityKey: 'k', values: { a: v(String(t), t) } }]);
          }
        })(),
      );
      await Promise.all(writers);
      const result = await store.read(entity, ['k'], [{ group: 'race', features: ['a'] }]);
      expect(result[0]![0]![0]).toEqual(v('199', 199));
    });

    it('applies a batch of thousands of keys, each key and feature by its own event time', async () => {
      // Key i already holds a (time 1000) and b (time 3000). The batch brings, per key, either only
      // newer values, only older ones, or one of each, across several of the adapter's write chunks.
      const keys = Array.from({ length: 2500 }, (_, i) => `batch-${i}`);
      const ms2030 = Date.parse('2030-01-01T00:00:00Z');
      await store.write(target('batch'), keys.map((entityKey) => ({ entityKey, values: { a: v('"a-old"', 1000), b: v('"b-old"', 3000) } })));
      const incoming = keys.map((entityKey, i) => {
        const kind = i % 3;
        if (kind === 0) return { entityKey, values: { a: v(`${i}`, ms2030 + i), b: v(`${i}`, ms2030 + i) } };
        if (kind === 1) return { entityKey, values: { a: v('"older"', 999), b: v('"older"', 2999) } };
        return { entityKey, values: { a: v(`${i}`, 2000), b: v('"older"', 2000) } };
      });
      const applied = await store.write(target('batch'), incoming);
      // kind 0: 2 values, kind 1: none, kind 2: a only.
      const expected = keys.reduce((sum, _, i) => sum + [2, 0, 1][i % 3]!, 0);
      expect(applied).toBe(expected);
      const result = await store.read(entity, keys, [{ group: 'batch', features: ['a', 'b'] }]);
      keys.forEach((_, i) => {
        const want = [
          [v(`${i}`, ms2030 + i), v(`${i}`, ms2030 + i)],
          [v('"a-old"', 1000), v('"b-old"', 3000)],
          [v(`${i}`, 2000), v('"b-old"', 3000)],
        ][i % 3];
        expect(result[i]![0], `key ${i}`).toEqual(want);
      });
    });

    it('deletes one group without touching another group of the same key', async () => {
      await store.write(target('keep'), [{ entityKey: 'k', values: { a: v('1', 1) } }]);
      await store.write(target('drop'), [{ entityKey: 'k', values: { a: v('2', 1) } }, { entityKey: 'k2', values: { a: v('3', 1) } }]);
      await store.deleteGroup(entity, 'drop');
      const result = await store.read(entity, ['k', 'k2'], [{ group: 'keep', features: ['a'] }, { group: 'drop', features: ['a'] }]);
      expect(result).toEqual([[[v('1', 1)], [undefined]], [[undefined], [undefined]]]);
    });

    it('still returns a value past its group TTL, so serving can answer EXPIRED with its event time', async () => {
      const old = Date.now() - 2 * 3_600_000;
      await store.write({ entity, group: 'ttl', ttlSeconds: 3600 }, [{ entityKey: 'k', values: { a: v('1', old) } }]);
      expect((await store.read(entity, ['k'], [{ group: 'ttl', features: ['a'] }]))[0]![0]![0]).toEqual(v('1', old));
    });

    it('stores keys and values with arbitrary characters verbatim', async () => {
      const key = 'user:1/ç "quoted" \u2603';
      const json = JSON.stringify({ note: 'a:b/c' });
      await store.write(target('chars'), [{ entityKey: key, values: { a: v(json, 5) } }]);
      expect((await store.read(entity, [key], [{ group: 'chars', features: ['a'] }]))[0]![0]![0]).toEqual(v(json, 5));
    });

    it("treats a feature named like an object's built-in member ('constructor') as any other name", async () => {
      await store.write(target('builtin'), [{ entityKey: 'k', values: { other: v('1', 5) } }]);
      // Not written yet: absent, not the record's inherited member.
      expect((await store.read(entity, ['k'], [{ group: 'builtin', features: ['constructor'] }]))[0]![0]).toEqual([undefined]);
      expect(await store.write(target('builtin'), [{ entityKey: 'k', values: { constructor: v('2', 6) } }])).toBe(1);
      expect((await store.read(entity, ['k'], [{ group: 'builtin', features: ['constructor', 'other'] }]))[0]![0]).toEqual([v('2', 6), v('1', 5)]);
    });
  });
}
