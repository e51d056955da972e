import { describe, expect, it } from 'vitest';
import { serviceSnippets } from './service-snippets.js';

describe('feature service snippets', () => {
  it('name the service, not its features, in Python and REST', () => {
    const [python, rest] = serviceSnippets({ name: 'fraud_model', entity: 'usuario' }, 'http://127.0.0.1:8000');
    expect(python!.code).toContain('client.get_online_features(\n    entity_keys=["usuario_1"], feature_service="fraud_model"\n)');
    expect(python!.code).toContain('client.get_historical_features(\n    entity_df=labels, feature_service="fraud_model"\n)');
    expect(rest!.code).toContain(`-d '{"feature_service": "fraud_model", "entity_keys": ["usuario_1"]}'`);
    expect(rest!.code).toContain('curl -s http://127.0.0.1:8000/api/online/features');
  });
});
