/**
 * Guard of the fast tier (vitest.fast.config.ts): a test that starts a child process or a listening
 * server is not a test of a pure module, so both throw, saying where such a test belongs.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type * as Net from 'node:net';

const require = createRequire(import.meta.url);
const refuse = (what: string) => (): never => {
  throw new Error(`The fast tier (npm run test:fast) runs pure modules only, and this test ${what}: exclude it in vitest.fast.config.ts (it still runs in npm test)`);
};

const childProcess = require('node:child_process') as Record<string, unknown>;
for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync']) {
  childProcess[name] = refuse(`starts a process (${name})`);
}
const net = require('node:net') as typeof Net;
net.Server.prototype.listen = refuse('starts a server (listen)') as typeof Net.Server.prototype.listen;
// Makes `import { spawn } from 'node:child_process'` see the guarded functions too.
syncBuiltinESMExports();
