import type { FastifyRequest } from 'fastify';

/**
 * Request log serializer that hides an `api_key` query parameter (the server-sent-events route
 * accepts the key there because EventSource cannot send headers). Headers are redacted by pino.
 */
export const logSerializers = {
  req(req: FastifyRequest) {
    return {
      method: req.method,
      url: req.url.replace(/([?&]api_key=)[^&]*/gi, '$1[redacted]'),
      host: req.host,
      remoteAddress: req.ip,
      remotePort: req.socket?.remotePort,
    };
  },
};
