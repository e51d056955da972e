/**
 * Connection URLs with their passwords, kept on this computer for the bundled service: encrypted
 * with the OS keychain through Electron's safeStorage (main.ts hands in encrypt/decrypt), in
 * `connection-secrets.json` of the app's user data folder, and given to the bundled service as
 * environment variables (FSTORE_CONN_<NAME>) that saved connections name as `env:`. The file
 * never holds a URL in clear, and nothing here sends one back to the renderer.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { explainInvalidSecretName, explainInvalidSecretUrl } from '@shared/ipc/desktop-api.js';

export const SECRETS_FILE_NAME = 'connection-secrets.json';

export interface SecretCipher {
  /** False when the OS offers no key store (safeStorage.isEncryptionAvailable()). */
  isAvailable(): boolean;
  encrypt(text: string): Buffer;
  decrypt(data: Buffer): string;
}

type SecretsFile = Record<string, string>;

/** The stored names with their encrypted URLs (base64). A missing file is empty; a broken one an error. */
async function readFileEntries(file: string): Promise<SecretsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} must hold a JSON object`);
  return Object.fromEntries(Object.entries(parsed).filter(([name, value]) => explainInvalidSecretName(name) === undefined && typeof value === 'string'));
}

async function writeFileEntries(file: string, entries: SecretsFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

export async function listSecretNames(file: string): Promise<string[]> {
  return Object.keys(await readFileEntries(file)).sort();
}

/** Encrypts and keeps `url` as `name`; refuses bad names and URLs, and refuses to store without encryption. */
export async function saveSecret(file: string, name: string, url: string, cipher: SecretCipher): Promise<void> {
  const problem = explainInvalidSecretName(name) ?? explainInvalidSecretUrl(url);
  if (problem !== undefined) throw new Error(problem);
  if (!cipher.isAvailable()) throw new Error('this computer offers no encrypted storage (safeStorage), so the password is not kept; put the URL in an environment variable of the service instead');
  const entries = await readFileEntries(file);
  await writeFileEntries(file, { ...entries, [name]: cipher.encrypt(url).toString('base64') });
}

export async function deleteSecret(file: string, name: string): Promise<void> {
  const problem = explainInvalidSecretName(name);
  if (problem !== undefined) throw new Error(problem);
  const { [name]: _removed, ...rest } = await readFileEntries(file);
  await writeFileEntries(file, rest);
}

/**
 * The environment the bundled service gets: every kept URL by its name. An entry that no longer
 * decrypts (another OS user, a reset keychain) is left out and reported, never fatal.
 */
export async function secretEnvironment(file: string, cipher: SecretCipher): Promise<{ env: Record<string, string>; problems: string[] }> {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  let entries: SecretsFile;
  try {
    entries = await readFileEntries(file);
  } catch (error) {
    return { env, problems: [`cannot read ${file}: ${(error as Error).message}`] };
  }
  if (Object.keys(entries).length > 0 && !cipher.isAvailable()) return { env, problems: ['safeStorage is not available: kept connection passwords are not used'] };
  for (const [name, value] of Object.entries(entries)) {
    try {
      env[name] = cipher.decrypt(Buffer.from(value, 'base64'));
    } catch {
      problems.push(`${name} could not be decrypted; save its connection's password again`);
    }
  }
  return { env, problems };
}
