import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** The replicas' base URLs; replace an entry when a replica restarts on a new port. */
  targets: string[];
  /** Requests answered, per target URL. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A load balancer as small as nginx's default: each request to the next target in turn, and to the
 * one after it when a target refuses the connection (a replica that is down), bodies streamed.
 */
export async function roundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  const proxy: Omit<RoundRobinProxy, 'url' | 'close'> = { targets: [...targets], hits: new Map() };
  let next = 0;
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, attempt: number): void => {
    const target = proxy.targets[next++ % proxy.targets.length]!;
    const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      proxy.hits.set(target, (proxy.hits.get(target) ?? 0) + 1);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      if (attempt < proxy.targets.length) forward(req, res, body, attempt + 1);
      else res.writeHead(502).end(err.message);
    });
    upstream.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), 1));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}
