import { afterEach, describe, expect, it } from 'vitest';
import { validateSourceDraft } from '../data-sources/source-draft.js';
import { i18n } from '../i18n/i18n.js';
import { targetNameErrors } from '../ingest/ingest-target.js';
import { NEW_TRANSFORM_DRAFT, validateTransformDraft } from '../transforms/studio/transform-draft.js';

/** The name checks of the studio, the add-source dialog and the ingest form speak the UI language. */
describe('name errors in forms follow the UI language', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('English: the registry rule in its own words', () => {
    expect(targetNameErrors({ entity: 'Cliente', featureGroup: 'ok' }).entity).toMatch(/^Entity name 'Cliente' is not snake_case/);
  });

  it('pt-BR: the same rule in Portuguese, in every form', async () => {
    await i18n.changeLanguage('pt-BR');
    expect(targetNameErrors({ entity: 'Cliente', featureGroup: 'Grupo X' })).toEqual({
      entity: expect.stringMatching(/^O nome da entidade 'Cliente' não está em snake_case/),
      featureGroup: expect.stringMatching(/^O nome do grupo de features 'Grupo X' não está em snake_case/),
    });
    expect(validateTransformDraft({ ...NEW_TRANSFORM_DRAFT, name: 'Minha Transf' }).name).toMatch(/^O nome da transformação 'Minha Transf'/);
    const source = validateSourceDraft({ origin: 'path', name: 'Vendas', description: '', path: '/dados/vendas.csv', featureGroup: '' }, undefined);
    expect(source.name).toMatch(/^O nome da fonte de dados 'Vendas'/);
  });
});
