import { Agent, request, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { errorBody } from '../http/error-handler.js';

/** Headers of one connection, not of the request or response: each hop sets its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'expect']);
/** Set by the worker alone: a client must not choose the address the primary logs. */
const FORWARDED = new Set(['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded']);

export type Forwarder = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Sends a request to the primary over its private socket as it came (method, path, headers, the
 * body streamed) and the answer back as it came (status, headers, body streamed): the primary's
 * routes, auth, errors and compression apply unchanged. The client's address goes in
 * X-Forwarded-For, which the primary trusts (it listens on nothing else).
 */
export function createForwarder(socketPath: string, isStopping: () => boolean): Forwarder {
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 64 });
  return (req, res) => {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name) && !FORWARDED.has(name)) headers[name] = value;
    }
    if (req.socket.remoteAddress) headers['x-forwarded-for'] = req.socket.remoteAddress;
    const upstream = request({ socketPath, agent, method: req.method, path: req.url, headers });
    upstream.on('response', (answer) => {
      const raw: string[] = [];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) {
        if (!HOP_BY_HOP.has(answer.rawHeaders[i]!.toLowerCase())) raw.push(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
      }
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, raw);
      // A stream (job events) goes out as it comes; a client that leaves ends the upstream request.
      pipeline(answer, res, () => {});
    });
    upstream.on('error', (err) => {
      if (res.headersSent) return void res.destroy(err);
      const stopping = isStopping();
      const body = stopping
        ? errorBody('FSTORE_SHUTTING_DOWN', 'The service is stopping')
        : errorBody('FSTORE_BACKEND_UNAVAILABLE', `The service's primary process cannot be reached: ${err.message}`);
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' }).end(JSON.stringify(body));
    });
    // The body streams through (pipe, not pipeline: an upstream failure must leave the client's
    // socket open for the 503); a client that goes away mid-upload aborts the upstream request.
    req.pipe(upstream);
    req.once('error', () => upstream.destroy());
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
  };
}
