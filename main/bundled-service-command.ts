/** How main launches the bundled service: Electron's own binary acting as Node on the CLI script. */
export interface BundledServiceCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export function bundledServiceCommand(options: {
  /** process.execPath: the Electron binary (or node in tests). */
  execPath: string;
  /** <appRoot>/bin/fstore.js */
  cliPath: string;
  port: number;
  dataDir: string;
  baseEnv: NodeJS.ProcessEnv;
}): BundledServiceCommand {
  return {
    command: options.execPath,
    args: [
      options.cliPath,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--data-dir',
      options.dataDir,
      // One process: one user's app gains nothing from serving workers but their memory and start-up.
      '--workers',
      '1',
    ],
    env: { ...options.baseEnv, ELECTRON_RUN_AS_NODE: '1' },
  };
}
