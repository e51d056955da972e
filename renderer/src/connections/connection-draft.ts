/**
 * The Connections dialog's form: what the user typed, checked as the service checks it, so a URL
 * with a password is refused before it is sent (the service refuses it too).
 */
import type { ConnectionInput, ConnectionKind } from '@shared/api/connections.js';

export interface ConnectionDraft {
  name: string;
  kind: ConnectionKind;
  url: string;
  description: string;
}

export type ConnectionProblem = 'nameRequired' | 'nameFormat' | 'urlRequired' | 'urlPassword' | 'urlPostgres' | 'urlKafka' | 'urlEnv';

const NAME = /^[a-z][a-z0-9_]{0,62}$/;
const ENV_REF = /^env:[A-Z_][A-Z0-9_]*$/;
const POSTGRES = /^postgres(ql)?:\/\//i;
const BROKERS = /^[A-Za-z0-9._-]+:\d{1,5}(,[A-Za-z0-9._-]+:\d{1,5})*$/;
/** A password in the user part, or a parameter that carries one or names a key file. */
const SECRET_PARTS = /^[a-z]+:\/\/[^/@?#]*:[^/@?#]*@|[?&](password|sslpassword|passfile|sslkey|sslcert|sslrootcert|sslcrl|sslcrldir)=/i;

export function emptyConnectionDraft(kind: ConnectionKind = 'postgres'): ConnectionDraft {
  return { name: '', kind, url: '', description: '' };
}

export function validateConnectionDraft(draft: ConnectionDraft): Partial<Record<'name' | 'url', ConnectionProblem>> {
  const problems: Partial<Record<'name' | 'url', ConnectionProblem>> = {};
  const name = draft.name.trim();
  if (name === '') problems.name = 'nameRequired';
  else if (!NAME.test(name)) problems.name = 'nameFormat';
  const url = draft.url.trim();
  if (url === '') problems.url = 'urlRequired';
  else if (url.startsWith('env:')) {
    if (!ENV_REF.test(url)) problems.url = 'urlEnv';
  } else if (draft.kind === 'postgres') {
    if (!POSTGRES.test(url)) problems.url = 'urlPostgres';
    else if (SECRET_PARTS.test(url)) problems.url = 'urlPassword';
  } else if (!BROKERS.test(url)) problems.url = SECRET_PARTS.test(url) ? 'urlPassword' : 'urlKafka';
  return problems;
}

export function toConnectionInput(draft: ConnectionDraft): ConnectionInput {
  const description = draft.description.trim();
  return { name: draft.name.trim(), kind: draft.kind, url: draft.url.trim(), ...(description === '' ? {} : { description }) };
}
