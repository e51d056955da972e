import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../service/src/config/load-config.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  ports?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
}

const read = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');
const compose = parse(read('./docker-compose.yml')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`service ${name} is missing`);
  return found;
};

describe('docker/docker-compose.yml', () => {
  it('has the FStore stack with real backing services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['fstore', 'kafka', 'mongo', 'postgres', 'redis', 'web']);
    expect(service('redis').image).toMatch(/^redis:7/);
    expect(service('postgres').image).toMatch(/^postgres:16/);
    expect(service('mongo').image).toMatch(/^mongo:7/);
    expect(service('kafka').image).toMatch(/^apache\/kafka:(3\.9|4\.)/);
    expect(service('kafka').environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });

  it('publishes the service on 8000 and the web UI on 3000, on the host loopback only', () => {
    expect(service('fstore').ports).toEqual(['127.0.0.1:8000:8000']);
    expect(service('web').ports).toEqual(['127.0.0.1:3000:3000']);
  });

  it('builds fstore and web from docker/Dockerfile', () => {
    expect(service('fstore').build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', target: 'fstore' });
    expect(service('web').build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', target: 'web' });
  });

  it('gives every service a healthcheck and starts fstore only once its backends are healthy', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      expect(definition.healthcheck?.test, name).toBeTruthy();
      expect(definition.healthcheck?.test.length, name).toBeGreaterThan(0);
    }
    expect(service('fstore').depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
      mongo: { condition: 'service_healthy' },
      kafka: { condition: 'service_healthy' },
    });
    expect(service('web').depends_on).toEqual({ fstore: { condition: 'service_healthy' } });
  });

  it('configures fstore with exactly the backing-store variables and the remote-bind flag', () => {
    const environment = service('fstore').environment ?? {};
    const fstoreNames = Object.keys(environment).filter((name) => name.startsWith('FSTORE_'));
    expect(fstoreNames.sort()).toEqual(
      [
        'FSTORE_ALLOW_UNAUTHENTICATED_REMOTE',
        'FSTORE_KAFKA_BROKERS',
        'FSTORE_OFFLINE_STORE',
        'FSTORE_ONLINE_STORE',
        'FSTORE_REGISTRY',
      ].sort(),
    );
    expect(environment).toMatchObject({
      FSTORE_ONLINE_STORE: 'redis://redis:6379',
      FSTORE_OFFLINE_STORE: 'postgres://fstore:fstore@postgres:5432/fstore',
      FSTORE_REGISTRY: 'mongodb://mongo:27017/fstore',
      FSTORE_KAFKA_BROKERS: 'kafka:9092',
      FSTORE_ALLOW_UNAUTHENTICATED_REMOTE: 'true',
    });
    expect(service('postgres').environment).toMatchObject({ POSTGRES_USER: 'fstore', POSTGRES_PASSWORD: 'fstore', POSTGRES_DB: 'fstore' });
  });

  it("passes the service's own configuration validation with the compose environment", () => {
    const environment = service('fstore').environment as Record<string, string>;
    const config = loadConfig({ env: { ...environment, FSTORE_HOST: '0.0.0.0', FSTORE_PORT: '8000' } });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8000,
      onlineStore: 'redis://redis:6379',
      offlineStore: 'postgres://fstore:fstore@postgres:5432/fstore',
      registry: 'mongodb://mongo:27017/fstore',
      kafkaBrokers: 'kafka:9092',
      allowUnauthenticatedRemote: true,
    });
    const published = (service('fstore').ports ?? []).map(String);
    expect(published.some((p) => p.endsWith(`:${config.port}`))).toBe(true);
  });

  it('keeps data in named volumes only (no bind mounts)', () => {
    const declared = Object.keys(compose.volumes);
    for (const name of ['redis', 'postgres', 'mongo', 'kafka', 'fstore']) {
      const mounts = service(name).volumes ?? [];
      expect(mounts.length, name).toBeGreaterThan(0);
      for (const mount of mounts) {
        const source = mount.split(':')[0] ?? '';
        expect(declared, `${name}: ${mount}`).toContain(source);
      }
    }
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = read('./Dockerfile');
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gim)].map((m) => ({ image: m[1], name: m[2] }));

  it('builds on node:22-bookworm-slim (Node 22 LTS; 20 is past its end of life) and serves nginx:alpine for the web stage', () => {
    expect(stages).toEqual([
      { image: 'node:22-bookworm-slim', name: 'build' },
      { image: 'nginx:alpine', name: 'web' },
      { image: 'node:22-bookworm-slim', name: 'fstore' },
    ]);
    expect(dockerfile).toMatch(/RUN npm ci/);
  });

  it('runs `fstore serve` on 0.0.0.0:8000 with its data in /data', () => {
    expect(dockerfile).toContain('ENTRYPOINT ["node", "bin/fstore.js"]');
    expect(dockerfile).toContain('CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--data-dir", "/data"]');
  });
});

describe('docker/nginx.conf', () => {
  const conf = read('./nginx.conf');

  it('listens on 3000 and proxies the service endpoints to fstore:8000', () => {
    expect(conf).toMatch(/listen 3000;/);
    expect(conf).toMatch(/set \$fstore_upstream http:\/\/fstore:8000;/);
    for (const location of ['/api/', '= /health', '/docs', '= /openapi.json', '= /metrics']) {
      const block = new RegExp(`location ${location.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\{\\s*proxy_pass \\$fstore_upstream;`);
      expect(conf, location).toMatch(block);
    }
  });

  it('falls back to index.html for client-side routes', () => {
    expect(conf).toMatch(/try_files \$uri \$uri\/ \/index\.html;/);
  });
});

describe('docker/docker-compose.replicas.yml (two replicas, docs/scaling.md)', () => {
  const replicas = parse(read('./docker-compose.replicas.yml')) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
  const second = replicas.services['fstore-2']!;
  const lb = read('./nginx.replicas.conf');

  it('runs a second replica of the same image on the same backends, with its own data folder', () => {
    expect(second.image).toBe(service('fstore').image);
    const storeEnv = (env: ComposeService['environment']) =>
      Object.fromEntries(Object.entries(env ?? {}).filter(([k]) => ['FSTORE_ONLINE_STORE', 'FSTORE_OFFLINE_STORE', 'FSTORE_REGISTRY', 'FSTORE_KAFKA_BROKERS'].includes(k)));
    expect(storeEnv(second.environment)).toEqual(storeEnv(service('fstore').environment));
    expect(Object.keys(storeEnv(second.environment))).toHaveLength(4);
    expect(second.volumes).toEqual(['fstore-2-data:/data', 'fstore-shared:/shared']);
    expect(Object.keys(replicas.volumes)).toEqual(['fstore-2-data', 'fstore-shared']);
    // Uploads and training-set files: one folder both replicas mount.
    const first = replicas.services['fstore']!;
    expect(first.volumes).toEqual(['fstore-shared:/shared']);
    for (const replica of [first, second]) expect(replica.environment?.['FSTORE_SHARED_DIR']).toBe('/shared');
    // Its configuration loads as the service would load it (server backends, no embedded store).
    const config = loadConfig({ env: Object.fromEntries(Object.entries(second.environment ?? {}).map(([k, v]) => [k, String(v)])) });
    expect(config.onlineStore).toMatch(/^redis:/);
    expect(config.offlineStore).toMatch(/^postgres:/);
    expect(config.registry).toMatch(/^mongodb:/);
  });

  it('balances over both replicas, and sends the monitoring views (per-replica latencies) to the first', () => {
    expect(lb).toMatch(/upstream fstore_replicas \{\s*server fstore:8000;\s*server fstore-2:8000;\s*\}/);
    expect(lb).toMatch(/upstream fstore_first \{\s*server fstore:8000;\s*\}/);
    const firstOnly = [...lb.matchAll(/location ~ (\S+) \{\s*proxy_pass http:\/\/fstore_first;/g)].map((m) => new RegExp(m[1]!));
    const toFirst = (path: string) => firstOnly.some((re) => re.test(path));
    for (const path of ['/api/monitoring/rules', '/api/monitoring/alerts']) expect(toFirst(path), path).toBe(true);
    for (const path of ['/api/online/features', '/api/training/point-in-time', '/api/features/', '/api/ingest/usuario/g', '/health', '/api/jobs/', '/api/jobs/ingest/usuario/g', '/api/uploads/', '/api/materialize', '/api/transforms/t/runs'])
      expect(toFirst(path), path).toBe(false);
    expect(lb).toMatch(/location \/ \{\s*proxy_pass http:\/\/fstore_replicas;/);
    expect(replicas.services['lb']?.ports).toEqual(['127.0.0.1:8080:8080']);
  });
});
