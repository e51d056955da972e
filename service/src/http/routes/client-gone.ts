import type { FastifyReply } from 'fastify';

/**
 * A signal that aborts when the client closes the connection before its response was sent, so
 * work done only for that response (a transform preview) can stop instead of running on unseen.
 */
export function abortWhenClientLeaves(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableEnded) controller.abort();
  });
  return controller.signal;
}
