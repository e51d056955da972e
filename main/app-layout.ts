import path from 'node:path';

/** Where the pieces of the app live, relative to the compiled main (dist/main/main.js). */
export interface AppLayout {
  /** The repository root in development, app.asar when packaged. */
  appRoot: string;
  rendererDir: string;
  preloadPath: string;
  serviceCliPath: string;
}

export function appLayout(compiledMainDir: string): AppLayout {
  const appRoot = path.resolve(compiledMainDir, '..', '..');
  return {
    appRoot,
    rendererDir: path.join(appRoot, 'dist', 'renderer'),
    preloadPath: path.join(compiledMainDir, 'preload.cjs'),
    serviceCliPath: path.join(appRoot, 'bin', 'fstore.js'),
  };
}
