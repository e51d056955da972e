import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Private Redis, PostgreSQL and Kafka servers for fault tests: each on a free loopback port with its
 * state in a temp folder, so a test may stop, restart or kill -9 it without touching the shared
 * services (6379, 5432, 9092) that other tests use at the same time. Installed the same way as
 * scripts/services/up.sh installs the shared ones; a missing binary fails loudly, naming the fix.
 */
export interface PrivateServer {
  readonly name: string;
  readonly port: number;
  /** The URL FStore is configured with (redis://, postgres://, or host:port for Kafka). */
  readonly url: string;
  start(): Promise<void>;
  /** A clean stop (SIGTERM, or pg_ctl -m fast). */
  stop(): Promise<void>;
  /** kill -9: no shutdown work at all. */
  kill(): Promise<void>;
  /** stop() then start(); kill-first when `hard`. */
  restart(hard?: boolean): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../../..');
const STATE = process.env['FSTORE_SERVICES_DIR'] ?? join(homedir(), '.cache/fstore-services');
const isRoot = process.getuid?.() === 0;

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

export async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, seconds: number, died?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (
      await Promise.resolve()
        .then(probe)
        .catch(() => false)
    )
      return;
    const death = died?.();
    if (death) throw new Error(`${what}: ${death}`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${seconds} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One request/reply over a fresh TCP connection; resolves with what arrived within a second. */
function tcpExchange(port: number, payload: string): Promise<string> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const done = () => {
      socket.destroy();
      ok(data);
    };
    socket.setTimeout(1000, done);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (c) => {
      data += c.toString();
      done();
    });
    socket.on('error', done);
  });
}

function requireBinary(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run \`npm run services:up\` once, it installs it`);
  return path;
}

function which(command: string): string {
  try {
    return execFileSync('bash', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${command} is not on PATH: run \`npm run services:up\` once, it installs it`);
  }
}

/** A process run in the foreground of the test (not daemonized), so stop and kill act on its pid. */
class Foreground {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  private exitInfo: string | undefined;

  constructor(
    private readonly command: string,
    private readonly args: string[],
    private readonly logFile: string,
  ) {}

  spawn(): void {
    this.exitInfo = undefined;
    const child = spawn(this.command, this.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
    const log: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => log.push(c));
    child.stderr!.on('data', (c: Buffer) => log.push(c));
    this.exit = new Promise((ok) =>
      child.once('exit', (code, signal) => {
        writeFileSync(this.logFile, Buffer.concat(log), { flag: 'a' });
        this.exitInfo = `exited (${code ?? signal}); log: ${this.logFile}`;
        ok();
      }),
    );
    this.child = child;
  }

  died = (): string | undefined => this.exitInfo;

  async signal(sig: NodeJS.Signals): Promise<void> {
    if (!this.child || this.exitInfo) return;
    this.child.kill(sig);
    await this.exit;
  }
}

/**
 * A Redis server; `durable` turns on the append-only file with an fsync per write (the durable
 * configuration docs/operations.md recommends), else nothing is kept across a restart.
 */
export async function privateRedis(options: { durable?: boolean } = {}): Promise<PrivateServer> {
  const bin = which('redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'fstore-fault-redis-'));
  const port = await freePort();
  const proc = new Foreground(
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--dir',
      dir,
      ...(options.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ],
    join(dir, 'redis.log'),
  );
  const server: PrivateServer = {
    name: 'redis',
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async start() {
      proc.spawn();
      await waitUntil(`redis on ${port}`, async () => (await tcpExchange(port, 'PING\r\n')).startsWith('+PONG'), 20, proc.died);
    },
    stop: () => proc.signal('SIGTERM'),
    kill: () => proc.signal('SIGKILL'),
    async restart(hard = false) {
      await (hard ? server.kill() : server.stop());
      await server.start();
    },
    async destroy() {
      await proc.signal('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? execFileSync('ls', [base], { encoding: 'utf8' }).split('\n').filter(Boolean) : [];
  const latest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (!latest) throw new Error(`PostgreSQL is not installed under ${base}: run \`npm run services:up\` once, it installs it`);
  return requireBinary(join(base, latest, 'bin'), 'PostgreSQL');
}

/** Runs a PostgreSQL tool as the cluster's owner (postgres when the tests run as root: it refuses root). */
function asPg(args: string[]): string {
  const [command, ...rest] = isRoot ? ['runuser', '-u', 'postgres', '--', ...args] : args;
  return execFileSync(command!, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

/** A PostgreSQL cluster (trust auth on loopback, user postgres), managed with pg_ctl. */
export async function privatePostgres(): Promise<PrivateServer & { stopImmediate(): Promise<void> }> {
  const bin = pgBinDir();
  // In memory when the machine has a tmpfs: the tests are about faults, not about disk speed.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'fstore-fault-pg-'));
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  asPg([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 -c shared_buffers=32MB`;
  const ctl = (...args: string[]) => asPg([join(bin, 'pg_ctl'), '-D', data, ...args]);
  const running = () => existsSync(join(data, 'postmaster.pid'));
  const server = {
    name: 'postgres',
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      ctl('start', '-w', '-t', '60', '-s', '-l', join(dir, 'postgres.log'), '-o', options);
    },
    async stop() {
      if (running()) ctl('stop', '-w', '-m', 'fast', '-s');
    },
    /** Like a crash: every connection is cut, no checkpoint; the next start runs crash recovery. */
    async stopImmediate() {
      if (running()) ctl('stop', '-w', '-m', 'immediate', '-s');
    },
    /** pg_ctl -m immediate (SIGQUIT to every process of the cluster): as abrupt as kill -9 for clients. */
    kill: () => server.stopImmediate(),
    async restart(hard = false) {
      await (hard ? server.stopImmediate() : server.stop());
      await server.start();
    },
    async destroy() {
      await server.stopImmediate().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** A single-node Kafka (KRaft, combined broker and controller) from the jars up.sh fetched. */
export async function privateKafka(): Promise<PrivateServer> {
  const libs = requireBinary(join(STATE, 'cache', `kafka-${process.env['FSTORE_KAFKA_VERSION'] ?? '4.1.1'}`, 'libs'), 'The Kafka jars');
  const java = which('java');
  const dir = mkdtempSync(join(tmpdir(), 'fstore-fault-kafka-'));
  const [port, controller] = [await freePort(), await freePort()];
  const properties = join(dir, 'server.properties');
  writeFileSync(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.bootstrap.servers=127.0.0.1:${controller}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${join(dir, 'data')}`,
      'num.partitions=3',
      'auto.create.topics.enable=true',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'num.network.threads=2',
      'num.io.threads=2',
      '',
    ].join('\n'),
  );
  const log4j = join(dir, 'log4j2.properties');
  writeFileSync(
    log4j,
    'status = warn\nappender.out.type = Console\nappender.out.name = STDOUT\nappender.out.layout.type = PatternLayout\nappender.out.layout.pattern = [%d] %p %m (%c)%n\nrootLogger.level = WARN\nrootLogger.appenderRef.out.ref = STDOUT\n',
  );
  const jvm = [`-Dlog4j2.configurationFile=${log4j}`, '-Djava.awt.headless=true', '-cp', `${libs}/*`];
  const uuid = Buffer.from(crypto.getRandomValues(new Uint8Array(16)))
    .toString('base64url')
    .replace(/^-/, 'A');
  execFileSync(java, ['-Xmx256m', ...jvm, 'kafka.tools.StorageTool', 'format', '--standalone', '-t', uuid, '-c', properties], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 60_000,
  });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const proc = new Foreground(
    java,
    ['-Xms128m', '-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...jvm, 'kafka.Kafka', properties],
    join(dir, 'kafka.log'),
  );
  const probe = join(ROOT, 'scripts/services/probe.py');
  const server: PrivateServer = {
    name: 'kafka',
    port,
    url: `127.0.0.1:${port}`,
    async start() {
      proc.spawn();
      await waitUntil(
        `kafka on ${port}`,
        () => {
          try {
            execFileSync('python3', [probe, 'kafka-ready', String(port)], { stdio: 'ignore', timeout: 5000 });
            return true;
          } catch {
            return false;
          }
        },
        90,
        proc.died,
      );
    },
    stop: () => proc.signal('SIGTERM'),
    kill: () => proc.signal('SIGKILL'),
    async restart(hard = false) {
      await (hard ? server.kill() : server.stop());
      await server.start();
    },
    async destroy() {
      await proc.signal('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
