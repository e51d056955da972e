import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS, type MenuCommand } from '@shared/ipc/desktop-api.js';
import { buildAppMenuTemplate, menuLanguage, withCommandClicks, type AppMenuItem } from './app-menu.js';

const LINUX = { platform: 'linux', isDevelopment: false, locale: 'en-US' };

function flatten(items: readonly AppMenuItem[]): AppMenuItem[] {
  return items.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
}

describe('buildAppMenuTemplate', () => {
  it('has File, Edit, View, Go and Help, and every menu command exactly once', () => {
    const template = buildAppMenuTemplate(LINUX);
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Go', 'Help']);
    const commands = flatten(template).flatMap((item) => (item.command ? [item.command] : []));
    expect([...commands].sort()).toEqual([...MENU_COMMANDS].sort());
  });

  it('uses the standard roles for editing, reload, zoom and quit', () => {
    const [file, edit, view] = buildAppMenuTemplate(LINUX);
    expect(edit?.submenu?.flatMap((i) => (i.role ? [i.role] : []))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
    expect(view?.submenu?.flatMap((i) => (i.role ? [i.role] : []))).toEqual(['reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(file?.submenu?.at(-1)).toEqual({ label: 'Quit', role: 'quit' });
  });

  it('offers developer tools only in development', () => {
    const roles = (isDevelopment: boolean) => flatten(buildAppMenuTemplate({ ...LINUX, isDevelopment })).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('puts the app menu first on macOS, with Close instead of Quit and About in the app menu', () => {
    const template = buildAppMenuTemplate({ ...LINUX, platform: 'darwin' });
    expect(template[0]).toEqual({ role: 'appMenu' });
    const items = flatten(template);
    expect(items.map((i) => i.role)).toEqual(expect.arrayContaining(['close', 'pasteAndMatchStyle']));
    expect(items.map((i) => i.role)).not.toContain('quit');
    expect(items.map((i) => i.role)).not.toContain('about');
  });

  it('gives the first nine pages Ctrl/Cmd+1..9 and no accelerator twice', () => {
    const go = buildAppMenuTemplate(LINUX)[3]!;
    expect(go.submenu?.slice(0, 3).map((i) => [i.command, i.accelerator])).toEqual([
      ['go:features', 'CmdOrCtrl+1'],
      ['go:feature-groups', 'CmdOrCtrl+2'],
      ['go:feature-services', 'CmdOrCtrl+3'],
    ]);
    expect(go.submenu?.[9]?.accelerator).toBeUndefined();
    const accelerators = flatten(buildAppMenuTemplate(LINUX)).flatMap((i) => (i.accelerator ? [i.accelerator] : []));
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('speaks Portuguese for any Portuguese system locale', () => {
    expect(menuLanguage('pt-BR')).toBe('pt-BR');
    expect(menuLanguage('pt')).toBe('pt-BR');
    expect(menuLanguage('en-GB')).toBe('en');
    expect(menuLanguage('ptx')).toBe('en');
    const template = buildAppMenuTemplate({ ...LINUX, locale: 'pt-BR' });
    expect(template.map((m) => m.label)).toEqual(['Arquivo', 'Editar', 'Exibir', 'Ir', 'Ajuda']);
    expect(flatten(template).find((i) => i.command === 'go:data-sources')?.label).toBe('Fontes de dados');
  });
});

describe('withCommandClicks', () => {
  it('turns each command into a click that sends it, keeping roles and nesting', () => {
    const sent: MenuCommand[] = [];
    const menu = withCommandClicks(buildAppMenuTemplate(LINUX), (command) => sent.push(command));
    const items = menu.flatMap(function walk(item): typeof menu {
      return [item, ...(item.submenu ?? []).flatMap(walk)];
    });
    for (const item of items) item.click?.();
    expect([...sent].sort()).toEqual([...MENU_COMMANDS].sort());
    expect(items.some((i) => 'command' in i)).toBe(false);
    expect(items.filter((i) => i.role !== undefined).every((i) => i.click === undefined)).toBe(true);
  });
});
