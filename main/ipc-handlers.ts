import { explainInvalidDefinitionFiles, explainInvalidSecretName, explainInvalidSecretUrl, explainInvalidServiceMode, IPC_CHANNELS } from '@shared/ipc/desktop-api.js';
import type { ConnectionSecretsState, DefinitionFileData, DesktopSettings, ExportDefinitionsResult, IpcChannel, ServiceInfo, ServiceMode } from '@shared/ipc/desktop-api.js';
import { explainUntrustedSender } from './sender-validation.js';
import type { IpcSender } from './sender-validation.js';

export interface IpcHandlerDeps {
  isAppWebContents(webContentsId: number): boolean;
  getServiceInfo(): Promise<ServiceInfo>;
  getSettings(): Promise<DesktopSettings>;
  setServiceMode(mode: ServiceMode): Promise<DesktopSettings>;
  exportDefinitions(files: DefinitionFileData[]): Promise<ExportDefinitionsResult>;
  saveConnectionSecret(name: string, url: string): Promise<ConnectionSecretsState>;
  listConnectionSecrets(): Promise<ConnectionSecretsState>;
  deleteConnectionSecret(name: string): Promise<ConnectionSecretsState>;
}

/** One handler per channel: checks the sender and the arguments, then calls the dependency. */
export type IpcHandler = (sender: IpcSender, args: readonly unknown[]) => Promise<unknown>;

export class IpcRejectedError extends Error {
  constructor(channel: string, reason: string) {
    super(`FStore refused IPC '${channel}': ${reason}`);
    this.name = 'IpcRejectedError';
  }
}

export function createIpcHandlers(deps: IpcHandlerDeps): Record<IpcChannel, IpcHandler> {
  const guarded =
    (channel: IpcChannel, arity: number, run: (args: readonly unknown[]) => Promise<unknown>): IpcHandler =>
    async (sender, args) => {
      const untrusted = explainUntrustedSender(sender, deps.isAppWebContents);
      if (untrusted !== undefined) throw new IpcRejectedError(channel, untrusted);
      if (args.length !== arity) {
        throw new IpcRejectedError(channel, `expected ${arity} argument(s), got ${args.length}`);
      }
      return run(args);
    };

  return {
    [IPC_CHANNELS.getServiceInfo]: guarded(IPC_CHANNELS.getServiceInfo, 0, () => deps.getServiceInfo()),
    [IPC_CHANNELS.getSettings]: guarded(IPC_CHANNELS.getSettings, 0, () => deps.getSettings()),
    [IPC_CHANNELS.setServiceMode]: guarded(IPC_CHANNELS.setServiceMode, 1, async ([mode]) => {
      const problem = explainInvalidServiceMode(mode);
      if (problem !== undefined) throw new IpcRejectedError(IPC_CHANNELS.setServiceMode, problem);
      return deps.setServiceMode(mode as ServiceMode);
    }),
    [IPC_CHANNELS.exportDefinitions]: guarded(IPC_CHANNELS.exportDefinitions, 1, async ([files]) => {
      const problem = explainInvalidDefinitionFiles(files);
      if (problem !== undefined) throw new IpcRejectedError(IPC_CHANNELS.exportDefinitions, problem);
      return deps.exportDefinitions(files as DefinitionFileData[]);
    }),
    [IPC_CHANNELS.saveConnectionSecret]: guarded(IPC_CHANNELS.saveConnectionSecret, 2, async ([name, url]) => {
      // The URL is never part of the message: it holds a password.
      const problem = explainInvalidSecretName(name) ?? explainInvalidSecretUrl(url);
      if (problem !== undefined) throw new IpcRejectedError(IPC_CHANNELS.saveConnectionSecret, problem);
      return deps.saveConnectionSecret(name as string, url as string);
    }),
    [IPC_CHANNELS.listConnectionSecrets]: guarded(IPC_CHANNELS.listConnectionSecrets, 0, () => deps.listConnectionSecrets()),
    [IPC_CHANNELS.deleteConnectionSecret]: guarded(IPC_CHANNELS.deleteConnectionSecret, 1, async ([name]) => {
      const problem = explainInvalidSecretName(name);
      if (problem !== undefined) throw new IpcRejectedError(IPC_CHANNELS.deleteConnectionSecret, problem);
      return deps.deleteConnectionSecret(name as string);
    }),
  };
}
