/**
 * `@shared/...` is the folder shared by every runtime (service, desktop main, renderer, tests):
 * the one path alias, declared for TypeScript and tsx in tsconfig.base.json / tsconfig.json
 * (`paths`), here for Vite and Vitest, and rewritten to relative paths in the compiled output by
 * tsc-alias (`npm run build:ts`), so Node runs dist/ with no loader.
 */
import { fileURLToPath } from 'node:url';

export const pathAlias = { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) };
