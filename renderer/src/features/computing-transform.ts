import type { Feature } from '@shared/domain/schemas.js';

const TRANSFORM_SOURCE_PREFIX = 'transform:';

/** The transform that computes a feature: publishing a transform sets its features' source to `transform:<name>`. */
export function transformOf(feature: Pick<Feature, 'source'>): string | undefined {
  const source = feature.source ?? '';
  return source.startsWith(TRANSFORM_SOURCE_PREFIX) && source.length > TRANSFORM_SOURCE_PREFIX.length
    ? source.slice(TRANSFORM_SOURCE_PREFIX.length)
    : undefined;
}
