/**
 * The application menu as a pure function of the platform, the build, the recent projects and the
 * language: macOS gets its app menu (About, Services, Hide, Quit) and a Window menu; Windows and
 * Linux get File / Edit / View / Help with Exit under File and About under Help. Items that act on
 * the document call `run` with a `MenuAction`; main/index.ts decides what each does (a dialog, a
 * `menu:command` to the renderer, closing the window). Editing, zoom and full screen use
 * Electron's built-in roles.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { baseName } from '../../shared/file-types.js';

/** What a menu item asks main to do. */
export type MenuAction =
  | { type: 'new' }
  | { type: 'open' }
  | { type: 'open-recent'; path: string }
  | { type: 'clear-recent' }
  | { type: 'save' }
  | { type: 'save-as' }
  | { type: 'import-dataset' }
  | { type: 'export-model' }
  | { type: 'close' }
  | { type: 'about' }
  | { type: 'docs' };

export interface MenuLabels {
  file: string; edit: string; view: string; window: string; help: string;
  new: string; open: string; openRecent: string; noRecent: string; clearRecent: string;
  save: string; saveAs: string; importDataset: string; exportModel: string; close: string; exit: string;
  undo: string; redo: string; cut: string; copy: string; paste: string; selectAll: string;
  resetZoom: string; zoomIn: string; zoomOut: string; fullScreen: string; reload: string; devTools: string;
  minimize: string; zoom: string; front: string;
  about: (app: string) => string; services: string; hide: (app: string) => string; hideOthers: string; showAll: string;
  quit: (app: string) => string; docs: string;
}

export const MENU_LABELS: Record<'en' | 'zh-CN', MenuLabels> = {
  en: {
    file: 'File', edit: 'Edit', view: 'View', window: 'Window', help: 'Help',
    new: 'New Project', open: 'Open…', openRecent: 'Open Recent', noRecent: 'No Recent Projects', clearRecent: 'Clear Recently Opened',
    save: 'Save', saveAs: 'Save As…', importDataset: 'Import Dataset…', exportModel: 'Export Model…', close: 'Close Window', exit: 'Exit',
    undo: 'Undo', redo: 'Redo', cut: 'Cut', copy: 'Copy', paste: 'Paste', selectAll: 'Select All',
    resetZoom: 'Actual Size', zoomIn: 'Zoom In', zoomOut: 'Zoom Out', fullScreen: 'Toggle Full Screen', reload: 'Reload', devTools: 'Toggle Developer Tools',
    minimize: 'Minimize', zoom: 'Zoom', front: 'Bring All to Front',
    about: (app) => `About ${app}`, services: 'Services', hide: (app) => `Hide ${app}`, hideOthers: 'Hide Others', showAll: 'Show All',
    quit: (app) => `Quit ${app}`, docs: 'Open Documentation',
  },
  'zh-CN': {
    file: '文件', edit: '编辑', view: '视图', window: '窗口', help: '帮助',
    new: '新建项目', open: '打开…', openRecent: '打开最近使用', noRecent: '没有最近的项目', clearRecent: '清除最近使用记录',
    save: '保存', saveAs: '另存为…', importDataset: '导入数据集…', exportModel: '导出模型…', close: '关闭窗口', exit: '退出',
    undo: '撤销', redo: '重做', cut: '剪切', copy: '复制', paste: '粘贴', selectAll: '全选',
    resetZoom: '实际大小', zoomIn: '放大', zoomOut: '缩小', fullScreen: '切换全屏', reload: '重新加载', devTools: '切换开发者工具',
    minimize: '最小化', zoom: '缩放', front: '前置全部窗口',
    about: (app) => `关于 ${app}`, services: '服务', hide: (app) => `隐藏 ${app}`, hideOthers: '隐藏其他', showAll: '全部显示',
    quit: (app) => `退出 ${app}`, docs: '打开文档',
  },
};

export type MenuLanguage = keyof typeof MENU_LABELS;

/** The menus' language from the system's preferred languages: Simplified Chinese or English. */
export function menuLanguage(preferred: readonly string[]): MenuLanguage {
  const first = (preferred[0] ?? 'en').toLowerCase();
  const simplified = first === 'zh' || first.startsWith('zh-hans') || first === 'zh-cn' || first === 'zh-sg';
  return simplified ? 'zh-CN' : 'en';
}

export interface MenuOptions {
  /** `process.platform`. */
  platform: string;
  /** Development build (`!app.isPackaged`): adds Reload and Toggle Developer Tools. */
  isDev: boolean;
  /** Recent projects, newest first. */
  recent: readonly string[];
  /** Whether there is a documentation address to open (package.json `homepage`). */
  docsAvailable: boolean;
  labels?: MenuLabels;
  appName?: string;
}

/**
 * Labels for the recent projects: the file name, with its folder added where two share a name
 * (two `model.nnstudio` in different folders must be told apart).
 */
export function recentLabels(paths: readonly string[]): string[] {
  const names = paths.map(baseName);
  return paths.map((path, i) => {
    if (names.filter((n) => n === names[i]).length === 1) return names[i];
    const parts = path.split(/[\\/]/).filter(Boolean);
    return `${names[i]} — ${parts[parts.length - 2] ?? ''}`;
  });
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

/** The menu template (Electron's `Menu.buildFromTemplate` input). */
export function buildMenuTemplate(options: MenuOptions, run: (action: MenuAction) => void): MenuItemConstructorOptions[] {
  const { platform, isDev, recent, docsAvailable, labels: l = MENU_LABELS.en, appName = 'NN Studio' } = options;
  const mac = platform === 'darwin';
  const item = (id: string, label: string, action: MenuAction, accelerator?: string): MenuItemConstructorOptions =>
    ({ id, label, accelerator, click: () => run(action) });

  const names = recentLabels(recent);
  const recentMenu: MenuItemConstructorOptions[] = recent.length
    ? recent.map((path, i) => item(`recent-${i}`, names[i], { type: 'open-recent', path }))
    : [{ id: 'no-recent', label: l.noRecent, enabled: false }];
  recentMenu.push(separator, { ...item('clear-recent', l.clearRecent, { type: 'clear-recent' }), enabled: recent.length > 0 });

  const about = item('about', l.about(appName), { type: 'about' });
  const file: MenuItemConstructorOptions = {
    label: l.file,
    submenu: [
      item('new', l.new, { type: 'new' }, 'CmdOrCtrl+N'),
      item('open', l.open, { type: 'open' }, 'CmdOrCtrl+O'),
      { id: 'open-recent', label: l.openRecent, submenu: recentMenu },
      separator,
      item('save', l.save, { type: 'save' }, 'CmdOrCtrl+S'),
      item('save-as', l.saveAs, { type: 'save-as' }, 'Shift+CmdOrCtrl+S'),
      separator,
      item('import-dataset', l.importDataset, { type: 'import-dataset' }, 'CmdOrCtrl+I'),
      item('export-model', l.exportModel, { type: 'export-model' }, 'CmdOrCtrl+E'),
      separator,
      item('close', l.close, { type: 'close' }, 'CmdOrCtrl+W'),
      ...(mac ? [] : [separator, { id: 'quit', label: l.exit, role: 'quit' } satisfies MenuItemConstructorOptions]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: l.edit,
    submenu: [
      { role: 'undo', label: l.undo },
      { role: 'redo', label: l.redo },
      separator,
      { role: 'cut', label: l.cut },
      { role: 'copy', label: l.copy },
      { role: 'paste', label: l.paste },
      { role: 'selectAll', label: l.selectAll },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: l.view,
    submenu: [
      { role: 'resetZoom', label: l.resetZoom },
      { role: 'zoomIn', label: l.zoomIn },
      { role: 'zoomOut', label: l.zoomOut },
      separator,
      { id: 'full-screen', role: 'togglefullscreen', label: l.fullScreen },
      ...(isDev
        ? [separator, { id: 'reload', role: 'reload', label: l.reload }, { id: 'dev-tools', role: 'toggleDevTools', label: l.devTools }] satisfies MenuItemConstructorOptions[]
        : []),
    ],
  };
  const docs = { ...item('docs', l.docs, { type: 'docs' }), enabled: docsAvailable };
  const help: MenuItemConstructorOptions = { role: 'help', label: l.help, submenu: mac ? [docs] : [docs, separator, about] };

  if (!mac) return [file, edit, view, help];
  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      about,
      separator,
      { role: 'services', label: l.services },
      separator,
      { role: 'hide', label: l.hide(appName) },
      { role: 'hideOthers', label: l.hideOthers },
      { role: 'unhide', label: l.showAll },
      separator,
      { id: 'quit', role: 'quit', label: l.quit(appName) },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    role: 'window',
    label: l.window,
    submenu: [{ role: 'minimize', label: l.minimize }, { role: 'zoom', label: l.zoom }, separator, { role: 'front', label: l.front }],
  };
  return [appMenu, file, edit, view, windowMenu, help];
}
