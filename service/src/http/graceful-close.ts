import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Lets `app.close()` end while clients hold connections open. Node 20's server.close() ends the
 * keep-alive connections idle at that moment, but waits for ever on one that has not sent a
 * request yet (browsers and fetch open them ahead; measured) and on one whose response ends later.
 * So, before the server closes: connections with no request in progress are closed, every other
 * one as soon as its last response is sent, and `stopping` runs (it interrupts user SQL, whose
 * requests then answer at once). Long streams (job events) end at the shutdown deadline.
 */
export function installGracefulClose(app: FastifyInstance, stopping: () => Promise<void>): void {
  const requestsOn = new Map<Socket, number>();
  let closing = false;
  app.server.on('connection', (socket: Socket) => {
    requestsOn.set(socket, 0);
    socket.once('close', () => requestsOn.delete(socket));
  });
  app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    requestsOn.set(socket, (requestsOn.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = Math.max(0, (requestsOn.get(socket) ?? 1) - 1);
      if (requestsOn.has(socket)) requestsOn.set(socket, left);
      if (closing && left === 0) socket.destroySoon(); // after what was written is flushed
    });
  });
  app.addHook('preClose', async () => {
    closing = true;
    for (const [socket, requests] of requestsOn) if (requests === 0) socket.destroy();
    await stopping();
  });
}
