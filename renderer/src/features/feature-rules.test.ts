import { afterEach, describe, expect, it } from 'vitest';
import { explainInvalidName } from '@shared/domain/names.js';
import { lintNames } from '@shared/domain/naming-lint.js';
import { explainName } from '../common/name-rules.js';
import { i18n } from '../i18n/i18n.js';
import { draftNamingHints, EMPTY_DRAFT, validateDraft } from './feature-draft.js';
import { explainFeatureTypeMismatch, localizeFeatureHints } from './feature-rules.js';

describe("the shared rules' messages in the UI language", () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('English: the rules word them as the service and the CLI do', () => {
    expect(explainName('feature', 'Usuario Idade')).toBe(explainInvalidName('feature', 'Usuario Idade'));
    const hints = lintNames({ kind: 'feature', name: 'idade', entity: 'usuario' });
    expect(localizeFeatureHints(hints, 'idade', 'usuario')).toEqual(hints);
  });

  it('pt-BR: the same checks and hints, in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    expect(explainName('feature', 'Usuario Idade')).toBe(
      "O nome da feature 'Usuario Idade' não está em snake_case: use letras minúsculas, dígitos e sublinhados, começando por uma letra (por exemplo 'usuario_idade'). Os nomes viram nomes de colunas em conjuntos de treino e em SQL, por isso precisam ser portáveis",
    );
    expect(explainName('entity', '')).toBe('O nome da entidade não pode ficar vazio');
    expect(explainName('feature', 'usuario_idade')).toBeUndefined();
    expect(explainFeatureTypeMismatch('NUMERIC', 'STRING')).toBe('feature_type NUMERIC precisa de value_type INT ou FLOAT, não STRING');
    expect(validateDraft({ ...EMPTY_DRAFT, name: 'x' }).valueType).toBe('Escolha o tipo dos valores armazenados');
    const hints = draftNamingHints({ ...EMPTY_DRAFT, name: 'val', entity: 'usuario' });
    expect(hints.map((h) => h.rule).sort()).toEqual(['description', 'descriptive_name', 'entity_prefix', 'tags']);
    expect(hints.find((h) => h.rule === 'entity_prefix')?.message).toContain("recomendamos 'usuario_val'");
    expect(hints.find((h) => h.rule === 'descriptive_name')?.message).toBe("Feature 'val': 'val' não diz o que o valor significa (por exemplo avg_transaction_value_30d)");
  });
});
