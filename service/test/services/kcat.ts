/** The real broker driven by kcat, a Kafka client from outside this code base. */
import { execFileSync } from 'node:child_process';
import { requiredUrl } from './service-urls.js';

export const brokers = () => requiredUrl('FSTORE_KAFKA_BROKERS');

/** Produces one message per line to `topic`; with `key`, every message has that key (so one partition, in order). */
export function produce(topic: string, lines: string[], key?: string): void {
  const keyed = key === undefined ? [] : ['-K', '\t'];
  const input = lines.map((line) => (key === undefined ? line : `${key}\t${line}`)).join('\n');
  execFileSync('kcat', ['-b', brokers(), '-t', topic, '-P', '-T', ...keyed], { input: `${input}\n`, stdio: ['pipe', 'ignore', 'pipe'], timeout: 30_000 });
}

/** Every message of `topic` so far, as `<headers>\t<value>` lines. */
export function consumeAll(topic: string): string[] {
  const out = execFileSync('kcat', ['-b', brokers(), '-t', topic, '-C', '-o', 'beginning', '-e', '-q', '-f', '%h\t%s\n'], { encoding: 'utf8', timeout: 30_000 });
  return out.split('\n').filter(Boolean);
}
