import { ConfigError } from '../../config/load-config.js';

/**
 * `redis+cluster://[user:password@]host1:port,host2:port[,...]` (or `rediss+cluster://` for TLS):
 * the seed nodes of a Redis Cluster. Any one reachable node is enough; the client learns the others
 * from it. A port may be left out (6379). A cluster has only database 0, so the path must be empty
 * or `/0`; no query parameters are taken.
 */
export interface RedisClusterUrl {
  nodes: { host: string; port: number }[];
  tls: boolean;
  username?: string;
  password?: string;
  /** The URL with its user part replaced, for logs, /health and errors. */
  redacted: string;
}

const CLUSTER_SCHEMES = new Set(['redis+cluster', 'rediss+cluster']);

/** Whether `url` asks for a Redis Cluster (its scheme is redis+cluster or rediss+cluster). */
export function isRedisClusterUrl(url: string): boolean {
  return CLUSTER_SCHEMES.has(url.split(':', 1)[0]!.toLowerCase());
}

/** Parses a cluster URL; anything malformed is a ConfigError naming FSTORE_ONLINE_STORE. */
export function parseRedisClusterUrl(url: string): RedisClusterUrl {
  const match = /^([a-z+]+):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/i.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  if (!match || !scheme || !CLUSTER_SCHEMES.has(scheme)) {
    throw invalid('expected redis+cluster://host1:port,host2:port (or rediss+cluster:// for TLS)');
  }
  const [, , userinfo, hostList, path, query, fragment] = match;
  const redacted = `${scheme}://${userinfo === undefined ? '' : '***@'}${hostList}${path ?? ''}`;
  const fail = (why: string) => new ConfigError(`'onlineStore' (FSTORE_ONLINE_STORE) is ${redacted}: ${why}`);
  if (path !== undefined && path !== '/' && path !== '/0') throw fail(`a Redis Cluster has only database 0, not '${path.slice(1)}'`);
  if ((query !== undefined && query !== '?') || fragment !== undefined) throw fail('a cluster URL takes no query parameters or fragment');
  if (!hostList) throw fail('no node given; list at least one as host:port');
  const nodes = hostList.split(',').map((entry) => parseNode(entry.trim(), fail));
  let username: string | undefined;
  let password: string | undefined;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    username = decode(colon < 0 ? userinfo : userinfo.slice(0, colon), fail) || undefined;
    password = colon < 0 ? undefined : decode(userinfo.slice(colon + 1), fail);
  }
  return { nodes, tls: scheme === 'rediss+cluster', username, password, redacted };
}

function parseNode(entry: string, fail: (why: string) => ConfigError): { host: string; port: number } {
  // host, host:port, [ipv6] or [ipv6]:port
  const node = /^(\[[0-9a-f:.]+\]|[^:[\]\s]+)(?::([^:]*))?$/i.exec(entry);
  if (!node) throw fail(`'${entry}' is not host:port`);
  const host = node[1]!.startsWith('[') ? node[1]!.slice(1, -1) : node[1]!;
  if (node[2] === undefined) return { host, port: 6379 };
  const port = /^[0-9]{1,5}$/.test(node[2]) ? Number(node[2]) : NaN;
  if (!(port >= 1 && port <= 65535)) throw fail(`'${entry}' has no valid port (1-65535)`);
  return { host, port };
}

function decode(text: string, fail: (why: string) => ConfigError): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw fail('the user part is not valid percent-encoding');
  }
}

function invalid(why: string): ConfigError {
  return new ConfigError(`'onlineStore' (FSTORE_ONLINE_STORE) is not a valid Redis Cluster URL: ${why}`);
}

/** CRC16 (XMODEM), the hash Redis Cluster takes modulo 16384 of a key's hash tag or whole key. */
const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

export const CLUSTER_SLOTS = 16384;

/**
 * The cluster slot of a key, as CLUSTER KEYSLOT computes it: the CRC16 of the hash tag (the bytes
 * between the first `{` and the first `}` after it, when not empty), else of the whole key.
 */
export function keySlot(key: string): number {
  // ASCII (the common case): the characters are the bytes, no buffer needed.
  let ascii = true;
  for (let i = 0; i < key.length && ascii; i++) ascii = key.charCodeAt(i) < 0x80;
  if (ascii) {
    let from = 0;
    let to = key.length;
    const open = key.indexOf('{');
    if (open >= 0) {
      const close = key.indexOf('}', open + 1);
      if (close > open + 1) [from, to] = [open + 1, close];
    }
    let crc = 0;
    for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ key.charCodeAt(i)) & 0xff]!;
    return crc % CLUSTER_SLOTS;
  }
  let bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b);
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) bytes = bytes.subarray(open + 1, close);
  }
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc % CLUSTER_SLOTS;
}

let slotTags: string[] | undefined;

/**
 * A short hash tag per slot: `{<slotTag(s)>}` in a key puts it in slot s. Built once (the first
 * ~90k base-36 numbers cover every slot; some 50 ms).
 */
export function slotTag(slot: number): string {
  if (!slotTags) {
    const tags = new Array<string>(CLUSTER_SLOTS);
    let left = CLUSTER_SLOTS;
    for (let i = 0; left > 0; i++) {
      const tag = i.toString(36);
      const s = keySlot(tag);
      if (tags[s] === undefined) {
        tags[s] = tag;
        left--;
      }
    }
    slotTags = tags;
  }
  return slotTags[slot]!;
}
