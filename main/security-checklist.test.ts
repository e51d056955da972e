/**
 * Static check of Electron's security checklist on the desktop shell's sources (main/*.ts), with
 * the TypeScript compiler's AST: what electronegativity (scripts/security/electron-scan.mjs)
 * reports as "review this", decided here by rule. The rules also run on a weak fixture, so a
 * rule that cannot fire is caught.
 */
import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface SourceFile {
  name: string;
  text: string;
}

/** Each setting's only allowed value, wherever an object literal in main/ names it. */
const SECURE_VALUES: Record<string, boolean> = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  enableRemoteModule: false,
};
const FORBIDDEN_KEYS = ['enableBlinkFeatures', 'additionalArguments'];
/** Electron APIs that would bypass the app:// protocol, the window options or the IPC contract. */
const FORBIDDEN_CALLS = ['loadFile', 'registerFileProtocol', 'interceptFileProtocol', 'registerHttpProtocol', 'executeJavaScript', 'openPath', 'showItemInFolder'];

function checklistViolations(files: SourceFile[]): string[] {
  const problems: string[] = [];
  const found = { enableSandbox: false, webContentsCreated: false, permissionRequest: false, permissionCheck: false, protocolHandle: false };
  for (const file of files) {
    const source = ts.createSourceFile(file.name, file.text, ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) => `${file.name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
        const key = node.name.text;
        if (key in SECURE_VALUES) {
          const secure = SECURE_VALUES[key] ? ts.SyntaxKind.TrueKeyword : ts.SyntaxKind.FalseKeyword;
          if (node.initializer.kind !== secure) problems.push(`${where(node)}: ${key} must be ${String(SECURE_VALUES[key])}`);
        }
        if (FORBIDDEN_KEYS.includes(key)) problems.push(`${where(node)}: ${key} is not allowed`);
      }
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) && /^file:/i.test(node.text)) {
        problems.push(`${where(node)}: a file: URL; the renderer is served by app:// only`);
      }
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        const created = node.expression.text;
        if (created === 'BrowserView' || created === 'WebContentsView') problems.push(`${where(node)}: ${created} is not used by the app`);
        if (created === 'BrowserWindow') {
          const [options] = node.arguments ?? [];
          if (!options || !ts.isCallExpression(options) || options.expression.getText(source) !== 'mainWindowOptions') {
            problems.push(`${where(node)}: new BrowserWindow must take mainWindowOptions(...) (main/window-options.ts)`);
          }
        }
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const member = node.expression.name.text;
        const target = node.expression.expression.getText(source);
        if (FORBIDDEN_CALLS.includes(member)) problems.push(`${where(node)}: ${target}.${member} is not allowed`);
        if (member === 'loadURL' && node.arguments[0]?.getText(source) !== 'APP_ENTRY_URL') problems.push(`${where(node)}: loadURL must load APP_ENTRY_URL (app://)`);
        if (member === 'openExternal') checkOpenExternal(node, source, where, problems);
        if (target === 'ipcMain') checkIpc(node, member, source, where, problems);
        // Main sends the renderer nothing but menu commands, which the preload checks (preload.cts).
        if (member === 'send' && /webContents$/.test(target) && node.arguments[0]?.getText(source) !== 'MENU_COMMAND_CHANNEL') {
          problems.push(`${where(node)}: webContents.send only on MENU_COMMAND_CHANNEL`);
        }
        if (target === 'app' && member === 'enableSandbox') found.enableSandbox = true;
        if (target === 'app' && member === 'on' && node.arguments[0]?.getText(source) === "'web-contents-created'") {
          if (!/hardenWebContents\(contents,/.test(node.arguments[1]?.getText(source) ?? '')) problems.push(`${where(node)}: web-contents-created must call hardenWebContents`);
          found.webContentsCreated = true;
        }
        if (member === 'setPermissionRequestHandler' && /isPermissionAllowed/.test(node.getText(source))) found.permissionRequest = true;
        if (member === 'setPermissionCheckHandler' && /isPermissionAllowed/.test(node.getText(source))) found.permissionCheck = true;
        if (target === 'protocol' && member === 'handle' && node.arguments[0]?.getText(source) === 'APP_SCHEME') found.protocolHandle = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const missing: Record<keyof typeof found, string> = {
    enableSandbox: 'app.enableSandbox() is not called',
    webContentsCreated: "no app.on('web-contents-created', ... hardenWebContents ...)",
    permissionRequest: 'no setPermissionRequestHandler with isPermissionAllowed',
    permissionCheck: 'no setPermissionCheckHandler with isPermissionAllowed',
    protocolHandle: 'the app:// protocol (protocol.handle(APP_SCHEME, ...)) is not registered',
  };
  for (const key of Object.keys(found) as (keyof typeof found)[]) if (!found[key]) problems.push(missing[key]);
  return problems;
}

/** shell.openExternal only as the callback hardenWebContents gets, which checks the URL first. */
function checkOpenExternal(node: ts.CallExpression, source: ts.SourceFile, where: (n: ts.Node) => string, problems: string[]): void {
  const callback = node.parent;
  const call = callback?.parent;
  const isHardeningCallback =
    callback !== undefined && ts.isArrowFunction(callback) && call !== undefined && ts.isCallExpression(call) && call.expression.getText(source) === 'hardenWebContents' && call.arguments[1] === callback;
  if (!isHardeningCallback) problems.push(`${where(node)}: openExternal outside the hardenWebContents callback (URLs must pass externalLinkToOpen)`);
}

/** IPC only through ipcMain.handle on the channels createIpcHandlers returns (each checks its sender). */
function checkIpc(node: ts.CallExpression, member: string, source: ts.SourceFile, where: (n: ts.Node) => string, problems: string[]): void {
  if (member !== 'handle') {
    problems.push(`${where(node)}: ipcMain.${member} is not allowed; use the handlers of createIpcHandlers`);
    return;
  }
  let loop: ts.Node | undefined = node.parent;
  while (loop !== undefined && !ts.isForOfStatement(loop)) loop = loop.parent;
  const iterates = loop !== undefined && ts.isForOfStatement(loop) && loop.expression.getText(source) === 'Object.entries(handlers)';
  const body = node.arguments[1]?.getText(source) ?? '';
  if (!iterates || node.arguments[0]?.getText(source) !== 'channel' || !/\bhandler\(\{ frameUrl: senderFrameUrl\(event\), webContentsId: event\.sender\.id \}/.test(body)) {
    problems.push(`${where(node)}: ipcMain.handle must register createIpcHandlers' handlers with the sender's frame URL and web contents id`);
  }
  if (!/const handlers = createIpcHandlers\(/.test(source.text)) problems.push(`${where(node)}: handlers must come from createIpcHandlers`);
}

const dir = new URL('./', import.meta.url);
const sources = readdirSync(dir)
  .filter((f) => /\.(c|m)?ts$/.test(f) && !f.endsWith('.test.ts'))
  .map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));

describe('Electron security checklist (static scan of main/)', () => {
  it('scans the shell, window options and hardening modules', () => {
    expect(sources.map((s) => s.name)).toEqual(expect.arrayContaining(['main.ts', 'preload.cts', 'window-options.ts', 'web-contents-hardening.ts']));
  });

  it('finds no violation in main/', () => {
    expect(checklistViolations(sources)).toEqual([]);
  });

  it('the rules fire on a weak shell (so the scan above can fail)', () => {
    const weak = `
      import { app, BrowserWindow, ipcMain, shell, protocol } from 'electron';
      const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false, enableBlinkFeatures: 'X' } });
      void w.loadURL('file:///app/index.html');
      void w.loadFile('index.html');
      ipcMain.on('x', () => undefined);
      ipcMain.handle('y', async (_e, url: string) => shell.openExternal(url));
      protocol.registerFileProtocol('app', () => undefined);
      w.webContents.send('fstore:anything', process.env);
    `;
    const problems = checklistViolations([{ name: 'weak.ts', text: weak }]);
    for (const expected of [
      /nodeIntegration must be false/,
      /contextIsolation must be true/,
      /sandbox must be true/,
      /webSecurity must be true/,
      /enableBlinkFeatures is not allowed/,
      /new BrowserWindow must take mainWindowOptions/,
      /loadURL must load APP_ENTRY_URL/,
      /a file: URL/,
      /w\.loadFile is not allowed/,
      /ipcMain\.on is not allowed/,
      /ipcMain\.handle must register/,
      /openExternal outside the hardenWebContents callback/,
      /protocol\.registerFileProtocol is not allowed/,
      /webContents\.send only on MENU_COMMAND_CHANNEL/,
      /app\.enableSandbox\(\) is not called/,
      /web-contents-created/,
      /setPermissionRequestHandler/,
    ]) {
      expect(problems.some((p) => expected.test(p)), `${String(expected)} in ${problems.join('\n')}`).toBe(true);
    }
  });
});
