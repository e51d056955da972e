import { describe, expect, it } from 'vitest';
import type { FeatureDrift } from '@shared/api/monitoring.js';
import type { Feature } from '@shared/domain/schemas.js';
import { driftableFeatures, emptyWindows, pickSelectedFeature, sortDriftFeatures } from './drift-view.js';

const drift = (feature: string, psi: number | null, counts: [number, number] = [100, 50]): FeatureDrift => ({
  feature,
  kind: 'numeric',
  baseline_count: counts[0],
  current_count: counts[1],
  psi,
  ks: null,
  ks_p_value: null,
  js: null,
  chi2: null,
  chi2_p_value: null,
  threshold: 0.2,
  drifted: psi !== null && psi > 0.2,
  bins: [],
});

const feature = (name: string, value_type: Feature['value_type'], feature_group: string | null, status: Feature['status'] = 'active'): Feature => ({
  name,
  value_type,
  feature_group,
  status,
  description: '',
  feature_type: 'NUMERIC',
  entity: 'cliente',
  tags: [],
  source: null,
  owner: '',
  version: 1,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  updated_by: 'local',
});

describe('driftableFeatures', () => {
  it('keeps active numeric and categorical features that have been written, of the chosen group', () => {
    const features = [
      feature('score', 'FLOAT', 'perfil'),
      feature('plano', 'STRING', 'perfil'),
      feature('signup', 'DATE', 'perfil'),
      feature('tags', 'STRING_LIST', 'perfil'),
      feature('never_written', 'INT', null),
      feature('old', 'INT', 'perfil', 'archived'),
      feature('clicks', 'INT', 'sessoes'),
    ];
    expect(driftableFeatures(features, '').map((f) => f.name)).toEqual(['clicks', 'plano', 'score']);
    expect(driftableFeatures(features, 'perfil').map((f) => f.name)).toEqual(['plano', 'score']);
  });
});

describe('drift rows', () => {
  it('put drifted features first, then the highest PSI, unscored last', () => {
    const sorted = sortDriftFeatures([drift('a', 0.05), drift('b', null), drift('c', 0.9), drift('d', 0.3), drift('e', 0.1)]);
    expect(sorted.map((f) => f.feature)).toEqual(['c', 'd', 'e', 'a', 'b']);
  });

  it('open the requested feature, else the first row', () => {
    const sorted = sortDriftFeatures([drift('a', 0.05), drift('c', 0.9)]);
    expect(pickSelectedFeature(sorted, 'a')?.feature).toBe('a');
    expect(pickSelectedFeature(sorted, 'gone')?.feature).toBe('c');
    expect(pickSelectedFeature([], 'a')).toBeUndefined();
  });

  it('tell which window holds no values at all', () => {
    expect(emptyWindows([drift('a', null, [0, 40]), drift('b', null, [0, 0])])).toEqual({ baseline: true, current: false });
    expect(emptyWindows([drift('a', 0.1), drift('b', null, [10, 0])])).toEqual({ baseline: false, current: false });
    expect(emptyWindows([])).toEqual({ baseline: false, current: false });
  });
});
