import { describe, expect, it } from 'vitest';
import { curlSnippet, pythonSnippet } from './fetch-snippets.js';

const target = { baseUrl: 'http://127.0.0.1:8000', entity: 'loja', feature: 'loja_vendas', keys: ['s1', "o'brien"] };

describe('fetch snippets', () => {
  it('calls the Python SDK with entity, keys and feature list', () => {
    const code = pythonSnippet(target);
    expect(code).toContain('client = FStoreClient("http://127.0.0.1:8000")');
    expect(code).toContain(`online = client.get_online_features("loja", ["s1", "o'brien"], ["loja_vendas"])`);
  });

  it('posts the online request with curl, quoted for the shell', () => {
    expect(curlSnippet(target)).toBe(
      [
        "curl -X POST 'http://127.0.0.1:8000/api/online/features' \\",
        "  -H 'content-type: application/json' \\",
        `  -d '{"entity":"loja","entity_keys":["s1","o'\\''brien"],"feature_list":["loja_vendas"]}'`,
      ].join('\n'),
    );
  });

  it('uses a placeholder key when the feature has no values yet', () => {
    expect(pythonSnippet({ ...target, keys: [] })).toContain('["KEY"]');
    expect(curlSnippet({ ...target, keys: [] })).toContain('"entity_keys":["KEY"]');
  });
});
