/**
 * The most recent values online serving returned, per feature (a bounded ring buffer in memory), to
 * compare what models receive at inference with what they were trained on (training/serving skew).
 */
export class ServingSampler {
  private readonly rings = new Map<string, { values: unknown[]; next: number }>();

  constructor(private readonly capacity = 10_000) {}

  record(entity: string, feature: string, value: unknown): void {
    const key = `${entity}\u0000${feature}`;
    let ring = this.rings.get(key);
    if (!ring) this.rings.set(key, (ring = { values: [], next: 0 }));
    if (ring.values.length < this.capacity) ring.values.push(value);
    else ring.values[ring.next] = value;
    ring.next = (ring.next + 1) % this.capacity;
  }

  values(entity: string, feature: string): unknown[] {
    return [...(this.rings.get(`${entity}\u0000${feature}`)?.values ?? [])];
  }
}
