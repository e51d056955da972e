import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a backend that can turn into a black hole: connections stay open but no
 * byte moves in either direction, and new connections are accepted and then ignored — what a hung
 * server or a silent network partition looks like to a client. `heal()` lets everything flow again.
 */
export interface BlackholeProxy {
  readonly port: number;
  blackhole(): void;
  heal(): void;
  /** Bytes the clients sent while black-holed: how much work they queued up on hung connections. */
  heldFromClients(): number;
  close(): Promise<void>;
}

export async function blackholeProxy(targetPort: number): Promise<BlackholeProxy> {
  let holding = false;
  const pairs = new Set<[Socket, Socket]>();
  // Bytes held back while black-holed, per destination, delivered in order on heal().
  const held = new Map<Socket, Buffer[]>();
  let fromClients = 0;
  const forward = (from: Socket, to: Socket, isClient: boolean) =>
    from.on('data', (chunk: Buffer) => {
      if (!holding) return void to.write(chunk);
      held.set(to, [...(held.get(to) ?? []), chunk]);
      if (isClient) fromClients += chunk.length;
    });
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    forward(client, upstream, true);
    forward(upstream, client, false);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    port,
    blackhole() {
      holding = true;
      fromClients = 0;
    },
    heldFromClients: () => fromClients,
    heal() {
      holding = false;
      for (const [to, chunks] of held) if (!to.destroyed) chunks.forEach((c) => to.write(c));
      held.clear();
    },
    async close() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      await new Promise((ok) => server.close(ok));
    },
  };
}
