import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, MENU_LABELS, menuLanguage, recentLabels, type MenuAction, type MenuOptions } from '../../main/electron/menu.js';

const base: MenuOptions = { platform: 'linux', isDev: false, recent: [], docsAvailable: true };

/** Builds the menu and records what its items ask main to do. */
function menu(options: Partial<MenuOptions> = {}) {
  const actions: MenuAction[] = [];
  const template = buildMenuTemplate({ ...base, ...options }, (action) => actions.push(action));
  return { template, actions };
}

const submenu = (item: MenuItemConstructorOptions) => item.submenu as MenuItemConstructorOptions[];
const labels = (items: MenuItemConstructorOptions[]) => items.filter((i) => i.type !== 'separator').map((i) => i.label);

/** Every item of the template, depth first. */
function allItems(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? allItems(item.submenu) : [])]);
}
const byId = (items: MenuItemConstructorOptions[], id: string) => allItems(items).find((i) => i.id === id);
const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as () => void)();

describe('application menu', () => {
  it('follows Windows/Linux conventions: File, Edit, View, Help, with Exit under File and About under Help', () => {
    for (const platform of ['win32', 'linux']) {
      const { template } = menu({ platform });
      expect(labels(template)).toEqual(['File', 'Edit', 'View', 'Help']);
      expect(labels(submenu(template[0]))).toEqual([
        'New Project', 'Open…', 'Open Recent', 'Save', 'Save As…', 'Import Dataset…', 'Export Model…', 'Close Window', 'Exit',
      ]);
      expect(submenu(template[0]).at(-1)).toMatchObject({ role: 'quit' });
      expect(labels(submenu(template[3]))).toEqual(['Open Documentation', 'About NN Studio']);
    }
  });

  it('follows macOS conventions: an app menu with About, Services, Hide and Quit, and a Window menu', () => {
    const { template } = menu({ platform: 'darwin' });
    expect(labels(template)).toEqual(['NN Studio', 'File', 'Edit', 'View', 'Window', 'Help']);
    const app = submenu(template[0]);
    expect(labels(app)).toEqual(['About NN Studio', 'Services', 'Hide NN Studio', 'Hide Others', 'Show All', 'Quit NN Studio']);
    expect(app.map((i) => i.role).filter(Boolean)).toEqual(['services', 'hide', 'hideOthers', 'unhide', 'quit']);
    // No Exit in File and no About in Help: they live in the app menu on a Mac.
    expect(labels(submenu(template[1]))).not.toContain('Exit');
    expect(labels(submenu(template[5]))).toEqual(['Open Documentation']);
    expect(template[4]).toMatchObject({ role: 'window' });
  });

  it('gives the document commands the usual shortcuts', () => {
    const { template } = menu();
    const accelerators = Object.fromEntries(allItems(template).filter((i) => i.accelerator).map((i) => [i.id, i.accelerator]));
    expect(accelerators).toEqual({
      new: 'CmdOrCtrl+N', open: 'CmdOrCtrl+O', save: 'CmdOrCtrl+S', 'save-as': 'Shift+CmdOrCtrl+S',
      'import-dataset': 'CmdOrCtrl+I', 'export-model': 'CmdOrCtrl+E', close: 'CmdOrCtrl+W',
    });
  });

  it('sends each document command to main when clicked', () => {
    const { template, actions } = menu();
    for (const id of ['new', 'open', 'save', 'save-as', 'import-dataset', 'export-model', 'close', 'about', 'docs']) click(byId(template, id));
    expect(actions.map((a) => a.type)).toEqual(['new', 'open', 'save', 'save-as', 'import-dataset', 'export-model', 'close', 'about', 'docs']);
  });

  it('uses Electron roles for editing, zoom and full screen', () => {
    const { template } = menu();
    expect(submenu(template[1]).map((i) => i.role).filter(Boolean)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    expect(submenu(template[2]).map((i) => i.role).filter(Boolean)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('offers Reload and Toggle Developer Tools in development builds only', () => {
    expect(byId(menu({ isDev: false }).template, 'dev-tools')).toBeUndefined();
    expect(byId(menu({ isDev: false }).template, 'reload')).toBeUndefined();
    expect(byId(menu({ isDev: true }).template, 'dev-tools')).toMatchObject({ role: 'toggleDevTools' });
    expect(byId(menu({ isDev: true, platform: 'darwin' }).template, 'reload')).toMatchObject({ role: 'reload' });
  });

  it('lists recent projects newest first; clicking one opens it, and the list can be cleared', () => {
    const recent = ['/home/ada/xor.nnstudio', '/home/ada/mnist.nnstudio'];
    const { template, actions } = menu({ recent });
    const items = submenu(byId(template, 'open-recent')!);
    expect(labels(items)).toEqual(['xor.nnstudio', 'mnist.nnstudio', 'Clear Recently Opened']);
    click(byId(template, 'recent-1'));
    click(byId(template, 'clear-recent'));
    expect(actions).toEqual([{ type: 'open-recent', path: '/home/ada/mnist.nnstudio' }, { type: 'clear-recent' }]);
  });

  it('shows an empty Open Recent as a disabled line and cannot clear it', () => {
    const items = submenu(byId(menu().template, 'open-recent')!);
    expect(items[0]).toMatchObject({ label: 'No Recent Projects', enabled: false });
    expect(byId(items, 'clear-recent')).toMatchObject({ enabled: false });
  });

  it('tells apart recent projects that share a file name by their folder', () => {
    expect(recentLabels(['/a/runs/model.nnstudio', 'C:\\work\\model.nnstudio', '/b/iris.nnstudio'])).toEqual([
      'model.nnstudio — runs', 'model.nnstudio — work', 'iris.nnstudio',
    ]);
  });

  it('disables Open Documentation when there is no documentation address', () => {
    expect(byId(menu({ docsAvailable: false }).template, 'docs')).toMatchObject({ enabled: false });
  });

  it('speaks Simplified Chinese when the system prefers it', () => {
    expect(menuLanguage(['zh-CN', 'en-US'])).toBe('zh-CN');
    expect(menuLanguage(['zh-Hans-CN'])).toBe('zh-CN');
    expect(menuLanguage(['zh-TW'])).toBe('en');
    expect(menuLanguage(['fr-FR', 'zh-CN'])).toBe('en');
    expect(menuLanguage([])).toBe('en');
    const { template } = menu({ labels: MENU_LABELS['zh-CN'] });
    expect(labels(template)).toEqual(['文件', '编辑', '视图', '帮助']);
    expect(byId(template, 'save')?.label).toBe('保存');
  });

  it('has a label for every item in both languages', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      for (const platform of ['darwin', 'win32', 'linux']) {
        const items = allItems(menu({ platform, isDev: true, labels: MENU_LABELS[language], recent: ['/x.nnstudio'] }).template);
        for (const item of items.filter((i) => i.type !== 'separator')) expect(item.label, `${platform} ${item.role ?? item.id}`).toBeTruthy();
      }
    }
  });
});
