import { describe, expect, it } from 'vitest';
import { fileFromArgv } from '../../main/electron/argv.js';
import { openDialogSpec, savedPath, saveDialogSpec } from '../../main/electron/dialogs.js';
import { collectDroppedPaths } from '../../main/electron/drop.js';
import {
  classifyPath, datasetFilters, DATASET_EXTENSIONS, defaultFileName, EXPORT_FORMATS, exportFilters, projectFilters, withExtension,
} from '../../shared/file-types.js';
import { SaveDialogRequest } from '../../shared/ipc/desktop.js';

describe('what a path is', () => {
  it('knows projects, every dataset format, extensionless IDX files and folders', () => {
    expect(classifyPath('/home/ada/xor.nnstudio')).toBe('project');
    expect(classifyPath('C:\\Data\\IRIS.NNSTUDIO')).toBe('project');
    for (const ext of DATASET_EXTENSIONS) expect(classifyPath(`/data/set.${ext}`), ext).toBe('dataset');
    expect(classifyPath('/mnist/train-images-idx3-ubyte')).toBe('dataset');
    expect(classifyPath('/mnist/t10k-labels.idx1-ubyte')).toBe('dataset');
    expect(classifyPath('/mnist/train-labels-idx1-ubyte.gz')).toBe('dataset');
    expect(classifyPath('/home/ada/digits')).toBe('dataset'); // a folder of class folders
    expect(classifyPath('/home/ada/setup.exe')).toBe('other');
    expect(classifyPath('/home/ada/notes.docx')).toBe('other');
  });
});

describe('a file handed over at launch (double-click, "Open with", second launch)', () => {
  const packaged = { defaultApp: false, cwd: '/home/ada', platform: 'linux' };

  it('takes the project path after the executable in a packaged app', () => {
    expect(fileFromArgv(['/opt/NN Studio/nn-studio', '/home/ada/xor.nnstudio'], packaged)).toEqual({ path: '/home/ada/xor.nnstudio', kind: 'project' });
  });

  it('skips the app folder of an unpackaged app (electron . / npm start)', () => {
    const dev = { ...packaged, defaultApp: true };
    expect(fileFromArgv(['/usr/bin/electron', '/src/nn-studio', 'xor.nnstudio'], dev)).toEqual({ path: '/home/ada/xor.nnstudio', kind: 'project' });
    expect(fileFromArgv(['/usr/bin/electron', '/src/nn-studio'], dev)).toBeNull();
  });

  it('skips switches that Chromium, Node or macOS add', () => {
    const argv = ['nn-studio', '--allow-file-access-from-files', '-psn_0_12345', '--inspect=9229', './runs/iris.nnstudio'];
    expect(fileFromArgv(argv, packaged)).toEqual({ path: '/home/ada/runs/iris.nnstudio', kind: 'project' });
  });

  it('resolves a relative path against the launching shell’s folder (second-instance’s workingDirectory)', () => {
    expect(fileFromArgv(['nn-studio.exe', 'iris.nnstudio'], { defaultApp: false, cwd: 'C:\\Users\\ada', platform: 'win32' }))
      .toEqual({ path: 'C:\\Users\\ada\\iris.nnstudio', kind: 'project' });
    expect(fileFromArgv(['nn-studio.exe', 'D:\\x\\iris.nnstudio'], { defaultApp: false, cwd: 'C:\\', platform: 'win32' })?.path).toBe('D:\\x\\iris.nnstudio');
    expect(fileFromArgv(['nn-studio.exe', '\\\\server\\share\\a.nnstudio'], { defaultApp: false, cwd: 'C:\\', platform: 'win32' })?.path).toBe('\\\\server\\share\\a.nnstudio');
  });

  it('takes a dataset opened with the app, and ignores what it cannot open', () => {
    expect(fileFromArgv(['nn-studio', '/data/iris.csv'], packaged)).toEqual({ path: '/data/iris.csv', kind: 'dataset' });
    expect(fileFromArgv(['nn-studio', '/data/report.pdf'], packaged)).toBeNull();
    // A bare word is a stray argument, not an IDX file or folder.
    expect(fileFromArgv(['nn-studio', 'serve'], packaged)).toBeNull();
    expect(fileFromArgv(['nn-studio'], packaged)).toBeNull();
  });
});

describe('native dialog filters', () => {
  it('opens projects as .nnstudio only', () => {
    expect(projectFilters()).toEqual([{ name: 'NN Studio project', extensions: ['nnstudio'] }]);
    expect(openDialogSpec('project', 'linux')).toMatchObject({ properties: ['openFile'], filters: projectFilters() });
  });

  it('imports datasets of every format, with "All files" for extensionless IDX files', () => {
    const filters = datasetFilters();
    expect(filters[0]).toEqual({ name: 'Datasets', extensions: ['csv', 'tsv', 'txt', 'json', 'idx', 'gz', 'zip', 'png', 'jpg', 'jpeg'] });
    expect(filters.at(-1)).toEqual({ name: 'All files', extensions: ['*'] });
    // Every specific filter's extensions are among the datasets'.
    for (const f of filters.slice(1, -1)) for (const ext of f.extensions) expect(DATASET_EXTENSIONS).toContain(ext);
  });

  it('lets a dataset be several files (IDX images + labels), and a folder where the platform allows', () => {
    expect(openDialogSpec('dataset', 'win32').properties).toEqual(['openFile', 'multiSelections']);
    expect(openDialogSpec('dataset', 'darwin').properties).toEqual(['openFile', 'openDirectory', 'multiSelections']);
    expect(openDialogSpec('dataset-folder', 'linux').properties).toEqual(['openDirectory']);
  });

  it('has one filter per export format with the extension a runtime expects', () => {
    const byId = Object.fromEntries(EXPORT_FORMATS.map((f) => [f.id, exportFilters(f.id)[0].extensions]));
    expect(byId).toEqual({ onnx: ['onnx'], tfjs: ['json'], js: ['mjs', 'js'], python: ['py'], json: ['json'], csv: ['csv'] });
  });

  it('suggests a file name from the project name, safe on every OS', () => {
    expect(saveDialogSpec({ kind: 'project', defaultName: 'Iris: run 2/3' }).defaultPath).toBe('Iris_ run 2_3.nnstudio');
    expect(saveDialogSpec({ kind: 'project' }).defaultPath).toBe('Untitled.nnstudio');
    expect(defaultFileName('model.nnstudio', 'nnstudio')).toBe('model.nnstudio');
    expect(defaultFileName(' . ', 'nnstudio')).toBe('Untitled.nnstudio');
    expect(saveDialogSpec({ kind: 'export', format: 'onnx' })).toMatchObject({ defaultPath: 'model.onnx', filters: [{ extensions: ['onnx'] }] });
  });

  it('adds the extension a GTK save dialog leaves off, and keeps one that is there', () => {
    expect(savedPath({ kind: 'project' }, '/home/ada/iris')).toBe('/home/ada/iris.nnstudio');
    expect(savedPath({ kind: 'project' }, '/home/ada/iris.nnstudio')).toBe('/home/ada/iris.nnstudio');
    expect(savedPath({ kind: 'export', format: 'js' }, '/out/model.js')).toBe('/out/model.js');
    expect(savedPath({ kind: 'export', format: 'js' }, '/out/model')).toBe('/out/model.mjs');
    expect(withExtension('/x/data.v2', ['csv'])).toBe('/x/data.v2.csv');
  });

  it('refuses an export request without a format at the boundary', () => {
    expect(SaveDialogRequest.safeParse({ kind: 'export' }).success).toBe(false);
    expect(SaveDialogRequest.safeParse({ kind: 'export', format: 'exe' }).success).toBe(false);
    expect(SaveDialogRequest.safeParse({ kind: 'export', format: 'python' }).success).toBe(true);
  });
});

describe('drag and drop', () => {
  /** Stands in for webUtils.getPathForFile: a real dropped file has a path, a page-made File has '' and a non-File throws. */
  class FakeFile {
    constructor(readonly path: string) {}
  }
  const resolve = (file: unknown) => {
    if (!(file instanceof FakeFile)) throw new TypeError('not a File');
    return file.path;
  };

  it('resolves dropped files and folders to paths, each once, in drop order, with what each is', () => {
    const dropped = [new FakeFile('/d/train-images-idx3-ubyte'), new FakeFile('/d/train-labels-idx1-ubyte'), new FakeFile('/d/train-images-idx3-ubyte'), new FakeFile('/p/xor.nnstudio')];
    expect(collectDroppedPaths(dropped, resolve)).toEqual([
      { path: '/d/train-images-idx3-ubyte', kind: 'dataset' },
      { path: '/d/train-labels-idx1-ubyte', kind: 'dataset' },
      { path: '/p/xor.nnstudio', kind: 'project' },
    ]);
  });

  it('ignores files the page made itself and anything that is not a File: a path is never taken from the page', () => {
    const dropped = [new FakeFile(''), '/etc/passwd', { path: '/etc/shadow' }, new FakeFile('/ok/iris.csv')];
    expect(collectDroppedPaths(dropped, resolve)).toEqual([{ path: '/ok/iris.csv', kind: 'dataset' }]);
  });
});

