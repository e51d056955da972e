import { isAppUrl } from './app-origin.js';

/** What main knows about the sender of an IPC message, extracted from the Electron event. */
export interface IpcSender {
  /** `event.senderFrame?.url`; undefined when the frame is gone. */
  frameUrl: string | undefined;
  /** `event.sender.id` */
  webContentsId: number;
}

/**
 * Returns why an IPC sender is not trusted, or undefined when it is: the frame must be on the
 * app's own origin and the web contents must belong to one of the app's windows.
 */
export function explainUntrustedSender(
  sender: IpcSender,
  isAppWebContents: (webContentsId: number) => boolean,
): string | undefined {
  if (!isAppWebContents(sender.webContentsId)) {
    return `web contents ${sender.webContentsId} is not one of the app's windows`;
  }
  if (sender.frameUrl === undefined) return 'the sending frame no longer exists';
  if (!isAppUrl(sender.frameUrl)) return `frame '${sender.frameUrl}' is not on the app's origin`;
  return undefined;
}
