import { describe, expect, it } from 'vitest';
import { paramsWithPatch, viewFromParams } from './monitoring-view.js';

const TODAY = '2025-03-10';

describe('the Monitoring view in the URL', () => {
  it('defaults to the drift tab and the default windows', () => {
    expect(viewFromParams(new URLSearchParams(), TODAY)).toEqual({
      tab: 'drift',
      entity: '',
      group: '',
      baseline: { start: '2025-02-02', end: '2025-03-03' },
      current: { start: '2025-03-04', end: '2025-03-10' },
      feature: '',
    });
  });

  it('reads a deep link, and ignores an unknown tab or a malformed window', () => {
    const view = viewFromParams(
      new URLSearchParams('tab=alerts&entity=cliente&group=perfil&baseline=2025-01-01..2025-01-31&current=bad&feature=cliente_score'),
      TODAY,
    );
    expect(view).toMatchObject({ tab: 'alerts', entity: 'cliente', group: 'perfil', feature: 'cliente_score' });
    expect(view.baseline).toEqual({ start: '2025-01-01', end: '2025-01-31' });
    expect(view.current).toEqual({ start: '2025-03-04', end: '2025-03-10' });
    expect(viewFromParams(new URLSearchParams('tab=nope'), TODAY).tab).toBe('drift');
  });

  it('writes changes, leaving the default tab out', () => {
    const next = paramsWithPatch(new URLSearchParams('entity=cliente'), { tab: 'quality', current: { start: '2025-03-01', end: '2025-03-02' } });
    expect(next.toString()).toBe('entity=cliente&tab=quality&current=2025-03-01..2025-03-02');
    expect(paramsWithPatch(next, { tab: 'drift' }).get('tab')).toBeNull();
  });

  it("clears the group and the feature when the entity changes, and the feature when the group changes", () => {
    const params = new URLSearchParams('entity=cliente&group=perfil&feature=cliente_score&baseline=2025-01-01..2025-01-31');
    const otherEntity = paramsWithPatch(params, { entity: 'pedido' });
    expect(otherEntity.toString()).toBe('entity=pedido&baseline=2025-01-01..2025-01-31');
    const otherGroup = paramsWithPatch(params, { group: '' });
    expect(otherGroup.toString()).toBe('entity=cliente&baseline=2025-01-01..2025-01-31');
    const sameEntity = paramsWithPatch(params, { entity: 'cliente', feature: 'cliente_plano' });
    expect(sameEntity.get('group')).toBe('perfil');
    expect(sameEntity.get('feature')).toBe('cliente_plano');
  });
});
