import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { ServiceConfig } from '../../config/config-schema.js';
import { SERVICE_VERSION } from '../../version.js';
import { cacheControlFor } from './cache-control.js';

/**
 * Serves the built renderer at `/` so the desktop app's UI also works in a plain browser. Vite's
 * build leaves `.br` and `.gz` copies next to each file (renderer/vite.config.ts): those are sent
 * as they are, so the multi-MB editor chunks are compressed once, at build time, at top quality.
 */
export async function registerWebUi(app: FastifyInstance, config: ServiceConfig, contentSecurityPolicy: string): Promise<void> {
  const root = config.webUiDir ? resolve(config.webUiDir) : defaultWebUiDir();
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(`FStore ${SERVICE_VERSION} is running. The web UI is not built (${root} has no index.html): run \`npm run build\`. API docs: /docs`),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    decorateReply: false,
    index: ['index.html'],
    preCompressed: true,
    // send's own `public, max-age=0` would overwrite the policy set below.
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('content-security-policy', contentSecurityPolicy);
      reply.header('cache-control', cacheControlFor(assetPath(root, path)));
    },
  });
}

/** The served path relative to the UI root, without the precompressed copy's extension. */
function assetPath(root: string, filePath: string): string {
  const relative = filePath.startsWith(root) ? filePath.slice(root.length).replace(/^[\\/]+/, '') : basename(filePath);
  return relative.replace(/\\/g, '/').replace(/\.(br|gz)$/, '');
}

function defaultWebUiDir(): string {
  // dist/service/src/http/web/register-web-ui.js -> dist/renderer ; service/src/http/web/*.ts (tests, tsx) -> dist/renderer
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../../../renderer'), resolve(here, '../../../../dist/renderer')];
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? candidates[0]!;
}
