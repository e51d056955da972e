/**
 * The physical-limit baseline for HTTP reads: a bare node:http server answering every request with
 * the same precomputed body (read from the file given as the only argument). Run as a child process
 * by the online-read scenarios, like the FStore service it is compared with.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const file = process.argv[2];
if (!file) throw new Error('usage: bare-http-server.ts <response-body-file>');
const body = readFileSync(file);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`bare node:http listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
