/** Code that fetches a feature's served values: the Python SDK and curl, against the service the UI talks to. */

export interface SnippetTarget {
  baseUrl: string;
  entity: string;
  feature: string;
  /** Example keys; a placeholder when the feature has none yet. */
  keys: string[];
}

const PLACEHOLDER_KEY = 'KEY';

export function pythonSnippet({ baseUrl, entity, feature, keys }: SnippetTarget): string {
  const py = (s: string) => JSON.stringify(s); // a JSON string is a valid Python string literal
  const list = (items: string[]) => `[${items.map(py).join(', ')}]`;
  return [
    'from fstore import FStoreClient',
    '',
    '# Add api_key="fsk_..." when the service requires a key.',
    `client = FStoreClient(${py(baseUrl)})`,
    `online = client.get_online_features(${py(entity)}, ${list(keys.length > 0 ? keys : [PLACEHOLDER_KEY])}, ${list([feature])})`,
    'print(online.to_dict())',
  ].join('\n');
}

export function curlSnippet({ baseUrl, entity, feature, keys }: SnippetTarget): string {
  const body = JSON.stringify({ entity, entity_keys: keys.length > 0 ? keys : [PLACEHOLDER_KEY], feature_list: [feature] });
  return [
    `curl -X POST ${shellQuote(`${baseUrl}/api/online/features`)} \\`,
    "  -H 'content-type: application/json' \\",
    `  -d ${shellQuote(body)}`,
  ].join('\n');
}

/** POSIX single quotes: the text verbatim, a quote inside as '\'' . */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
