/**
 * The most recent values online serving returned, per feature (a bounded ring buffer in memory), to
 * compare what models receive at inference with what they were trained on (training/serving skew).
 */
export class ServingSampler {
  private readonly rings = new Map<string, Map<string, SampleRing>>();

  constructor(private readonly capacity = 10_000) {}

  record(entity: string, feature: string, value: unknown): void {
    this.ring(entity, feature).push(JSON.stringify(value));
  }

  /** One ring per feature, looked up once per request rather than once per value. */
  ringsFor(entity: string, features: string[]): SampleRing[] {
    return features.map((f) => this.ring(entity, f));
  }

  values(entity: string, feature: string): unknown[] {
    return this.rings.get(entity)?.get(feature)?.snapshot() ?? [];
  }

  /** The kept values as the JSON text served (what a serving worker sends its primary). */
  texts(entity: string, feature: string): string[] {
    return this.rings.get(entity)?.get(feature)?.texts() ?? [];
  }

  private ring(entity: string, feature: string): SampleRing {
    let byFeature = this.rings.get(entity);
    if (!byFeature) this.rings.set(entity, (byFeature = new Map()));
    let ring = byFeature.get(feature);
    if (!ring) byFeature.set(feature, (ring = new SampleRing(this.capacity)));
    return ring;
  }
}

/**
 * The last `capacity` values pushed, as the JSON text serving sent: kept as text so serving never
 * parses a value for the sampler; parsed only when a skew check reads them.
 */
export class SampleRing {
  private readonly values: string[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(value: string): void {
    if (this.values.length < this.capacity) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
  }

  texts(): string[] {
    return [...this.values];
  }

  snapshot(): unknown[] {
    return this.values.map((v) => JSON.parse(v) as unknown);
  }
}
