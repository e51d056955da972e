// A stand-in for bin/fstore.js in tests: `serve --host H --port P --data-dir D`.
// FAKE_SERVICE_BEHAVIOUR picks how it behaves: ok | crash | hang | die-after-ready | ignore-sigterm | port-in-use-once
import { createServer } from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
};
const behaviour = process.env.FAKE_SERVICE_BEHAVIOUR ?? 'ok';
const host = option('--host');
const port = Number(option('--port'));
const dataDir = option('--data-dir');

if (args[0] !== 'serve') {
  process.stderr.write(`unknown command ${args[0]}\n`);
  process.exit(2);
}
if (behaviour === 'crash') {
  process.stderr.write('fstore: cannot open the offline store: disk on fire\n');
  process.exit(3);
}
if (behaviour === 'port-in-use-once') {
  const marker = path.join(dataDir, 'tried-once');
  if (!existsSync(marker)) {
    writeFileSync(marker, '');
    process.stderr.write(`Error: listen EADDRINUSE: address already in use ${host}:${port}\n`);
    process.exit(1);
  }
}
if (behaviour === 'hang') {
  setInterval(() => undefined, 1000);
} else {
  const server = createServer((request, response) => {
    if (request.url === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ args, dataDir, runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null, cwd: process.cwd() }),
      );
      return;
    }
    response.writeHead(404).end();
  });
  server.listen(port, host, () => {
    if (behaviour === 'die-after-ready') {
      setTimeout(() => {
        process.stderr.write('fstore: lost the registry connection\n');
        process.exit(4);
      }, 300);
    }
  });
}
process.on('SIGTERM', () => {
  if (behaviour === 'ignore-sigterm') return;
  process.exit(0);
});
