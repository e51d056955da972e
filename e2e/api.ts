/** The typed REST client, from Node, to set up data and to check what the UI did. */
import { createFStoreClient, type FStoreClient } from '@shared/api/client.js';

/** With `user`, every request says who sends it (`X-FStore-User`), as the audit log records it. */
export function apiClient(baseUrl: string, options: { user?: string } = {}): FStoreClient {
  const { user } = options;
  if (user === undefined) return createFStoreClient({ baseUrl, fetch });
  return createFStoreClient({ baseUrl, fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, 'x-fstore-user': user } }) });
}

/** The seed's example request body. */
export const SEED_FEATURE = {
  name: 'usuario_idade',
  description: 'Idade do usuário',
  feature_type: 'NUMERIC',
  value_type: 'INT',
  entity: 'usuario',
  tags: ['demografia', 'basico'],
} as const;

/** Creates a feature with a plain POST, as a user of the REST API would. */
export async function postFeature(baseUrl: string, body: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${baseUrl}/api/features/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /api/features/ ${JSON.stringify(body)} -> ${res.status} ${text}`);
  return JSON.parse(text);
}
