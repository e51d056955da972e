import type { ReadableStream } from 'node:stream/web';
import { createFStoreClient } from '@shared/api/client.js';

/** What the CLI sends as a body: JSON text, or a file streamed as it is read. */
export type CliBody = string | ReadableStream<Uint8Array>;

/** Node's fetch, typed for the shared client, sending a streamed body half-duplex (it refuses one otherwise). */
export function streamingFetch(url: string, init: { method?: string; headers?: Record<string, string>; body?: CliBody } = {}): Promise<Response> {
  if (init.body === undefined || typeof init.body === 'string') return fetch(url, init as RequestInit);
  return fetch(url, { ...init, duplex: 'half' } as RequestInit);
}

/**
 * The shared REST client as the CLI's client commands use it: Node's fetch (files are streamed up
 * and down), `Authorization: Bearer $FSTORE_API_KEY` when that variable is set (so every command
 * works against a service with auth on), and the user's name as `X-FStore-User`.
 */
export function cliClient(url: string) {
  const apiKey = process.env['FSTORE_API_KEY']?.trim();
  return createFStoreClient({ baseUrl: url, fetch: streamingFetch, user: userName(), ...(apiKey ? { apiKey } : {}) });
}

export type CliClient = ReturnType<typeof cliClient>;

function userName(): string {
  return (process.env['USER'] ?? 'cli').replace(/[^\w.@ -]/g, '').slice(0, 100) || 'cli';
}
