import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port on 127.0.0.1. The port is released before it is returned, so a
 * caller that loses the race to another process should retry.
 */
export function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine the allocated port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
