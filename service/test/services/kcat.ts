/** The real broker driven by kcat, a Kafka client from outside this code base. */
import { execFileSync } from 'node:child_process';
import { requiredUrl } from './service-urls.js';

export const brokers = () => requiredUrl('FSTORE_KAFKA_BROKERS');

/** Produces one message per line to `topic`. */
export function produce(topic: string, lines: string[]): void {
  execFileSync('kcat', ['-b', brokers(), '-t', topic, '-P', '-T'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'], timeout: 30_000 });
}

/** Every message of `topic` so far, as `<headers>\t<value>` lines. */
export function consumeAll(topic: string): string[] {
  const out = execFileSync('kcat', ['-b', brokers(), '-t', topic, '-C', '-o', 'beginning', '-e', '-q', '-f', '%h\t%s\n'], { encoding: 'utf8', timeout: 30_000 });
  return out.split('\n').filter(Boolean);
}
