/**
 * The electron-builder configuration, checked without running electron-builder (it cannot be
 * installed here): targets, the .nnstudio file association and its icons, what is packed, the
 * fuses, and that package.json's runtime dependencies are exactly what the app's processes import.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readIcns, readIco } from '../../build/icons/generate.mjs';
import { PROJECT_EXTENSION, PROJECT_MIME_TYPE } from '../../shared/file-types.js';
import { appRoot, rendererDir, workerEntry } from '../../main/paths.js';

interface FileAssociation { ext: string; name?: string; description?: string; mimeType?: string; icon?: string; role?: string }
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  extraMetadata?: { main?: string };
  asar?: boolean;
  npmRebuild?: boolean;
  fileAssociations: FileAssociation[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  nsis: { perMachine?: boolean; oneClick?: boolean };
  mac: { target: string[]; icon: string; extendInfo?: { UTExportedTypeDeclarations?: Array<Record<string, unknown>> } };
}

const root = appRoot;
const config = JSON.parse(readFileSync(join(root, 'build', 'electron-builder.json'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string; productName: string; scripts: Record<string, string>;
  dependencies: Record<string, string>; devDependencies: Record<string, string>;
};
const resources = join(root, config.directories.buildResources);

/** electron-builder's rule for an association icon without extension: .icns on macOS, .ico on Windows (getPlatformIconFileName). */
const platformIcon = (icon: string, mac: boolean) => (icon.includes('.') ? icon.replace(mac ? '.ico' : '.icns', mac ? '.icns' : '.ico') : `${icon}.${mac ? 'icns' : 'ico'}`);

/** A `files` glob as a regular expression (`**` any depth, `*` within one segment). */
function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*');
  return new RegExp(`^${source}$`);
}

/** Whether electron-builder packs `path` (relative to the project): matched by an include, not by a later exclusion. */
function packed(path: string): boolean {
  let included = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(path)) included = false;
    } else if (globToRegExp(pattern).test(path)) {
      included = true;
    }
  }
  return included;
}

describe('electron-builder configuration', () => {
  it('names the app and builds AppImage and deb, nsis, and dmg', () => {
    expect(config.appId).toBe('org.nnstudio.app');
    expect(config.productName).toBe('NN Studio');
    expect(pkg.productName).toBe('NN Studio');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('associates .nnstudio files with the app, with their own MIME type and icon', () => {
    expect(config.fileAssociations).toHaveLength(1);
    const [association] = config.fileAssociations;
    expect(association).toMatchObject({ ext: PROJECT_EXTENSION, mimeType: PROJECT_MIME_TYPE, role: 'Editor' });
    expect(PROJECT_MIME_TYPE).toBe('application/x-nnstudio');
    for (const mac of [true, false]) {
      const icon = join(resources, platformIcon(association.icon!, mac));
      expect(existsSync(icon), icon).toBe(true);
      if (mac) expect(readIcns(readFileSync(icon)).length).toBeGreaterThan(0);
      else expect(readIco(readFileSync(icon)).map((i) => i.size)).toContain(256);
    }
    // Windows registers associations only for a per-machine install.
    expect(config.nsis.perMachine).toBe(true);
    // macOS learns the type (and its icon) from an exported UTI naming the same extension and MIME type.
    const uti = config.mac.extendInfo?.UTExportedTypeDeclarations?.[0] as { UTTypeTagSpecification: Record<string, string[]>; UTTypeIconFile: string };
    expect(uti.UTTypeTagSpecification['public.filename-extension']).toEqual([PROJECT_EXTENSION]);
    expect(uti.UTTypeTagSpecification['public.mime-type']).toEqual([PROJECT_MIME_TYPE]);
    expect(uti.UTTypeIconFile).toBe(platformIcon(association.icon!, true).split('/').pop());
  });

  it('has the app icon set for each platform', () => {
    const icns = readIcns(readFileSync(join(resources, config.mac.icon)));
    expect(Math.max(...icns.map((e) => e.width))).toBe(1024);
    const ico = readIco(readFileSync(join(resources, config.win.icon)));
    expect(ico.map((i) => i.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    const linux = join(resources, config.linux.icon);
    const sizes = readdirSync(linux).map((name) => {
      const png = PNG.sync.read(readFileSync(join(linux, name)));
      expect(name).toBe(`${png.width}x${png.height}.png`); // electron-builder reads the size from the name
      return png.width;
    });
    expect(sizes.sort((a, b) => a - b)).toEqual([16, 24, 32, 48, 64, 128, 256, 512]);
  });

  it('packs only the built app and package.json: no sources, tests, source maps, build stamps or the CLI', () => {
    for (const pattern of config.files) {
      const include = pattern.replace(/^!/, '');
      expect(include === 'package.json' || include.startsWith('out/'), pattern).toBe(true);
    }
    expect(config.files.some((p) => p.includes('node_modules'))).toBe(false);
    for (const path of ['main/index.ts', 'shared/nn/model.ts', 'test/desktop/menu.test.ts', 'renderer/src/App.svelte', 'build/icons/icon.png', 'README.md', 'out/main/index.cjs.map', 'out/.stamp-node', 'out/cli.mjs']) {
      expect(packed(path), path).toBe(false);
    }
  });

  it('packs every file the app loads at run time', () => {
    const main = config.extraMetadata?.main ?? pkg.main;
    expect(main).toBe(pkg.main);
    const runtime = [
      main,
      'out/main/preload.cjs', // main/electron/app-window.ts loads it from out/main
      relative(root, workerEntry),
      relative(root, join(rendererDir, 'index.html')),
      'out/renderer/assets/index-1a2b3c.js',
      'out/wasm/kernels.wasm',
      'package.json', // main/paths.ts finds the app root and version by it
    ];
    for (const path of runtime) expect(packed(path), path).toBe(true);
    expect(readFileSync(join(root, 'main', 'index.ts'), 'utf8')).toContain("join(outDir, 'main', 'preload.cjs')");
  });

  it('flips the fuses an app that never runs as Node or loads file:// can do without', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
    // Safe only because the workers are utility processes (not ELECTRON_RUN_AS_NODE children)
    // and the page comes from app://, not file://.
    const sources = ['main/index.ts', 'main/electron/app-window.ts', 'main/electron/utility-worker.ts', 'main/electron/app-protocol-handler.ts'].map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
    expect(sources).toContain('utilityProcess.fork');
    expect(sources).not.toMatch(/child_process|loadFile\(|file:\/\//);
    // No native module to rebuild for Electron.
    expect(config.npmRebuild).toBe(false);
  });

  it('is what `npm run dist` builds with', () => {
    expect(pkg.scripts.dist).toContain('--config build/electron-builder.json');
    expect(pkg.scripts.dist).toMatch(/build\/scripts\/build\.mjs/);
  });
});

describe('runtime dependencies', () => {
  /** The package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
  const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);

  /**
   * Bare packages the Node processes (Electron main, the worker, the CLI) load at run time: their
   * external imports, plus packages they locate with `require.resolve` to read files from.
   */
  async function runtimeImports(): Promise<Set<string>> {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: ['main/index.ts', 'main/worker/index.ts', 'main/cli/index.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      write: false,
      metafile: true,
      outdir: join(root, 'out', '.dependency-check'),
      logLevel: 'silent',
    });
    const builtins = new Set(builtinModules);
    const packages = new Set<string>();
    const add = (specifier: string) => {
      if (specifier.startsWith('node:') || specifier.startsWith('.') || specifier.startsWith('/')) return;
      if (!builtins.has(packageOf(specifier))) packages.add(packageOf(specifier));
    };
    for (const [file, input] of Object.entries(result.metafile.inputs)) {
      for (const { path, external } of input.imports) if (external) add(path);
      const source = readFileSync(join(root, file), 'utf8');
      for (const match of source.matchAll(/require\.resolve\(\s*['"]([^'"]+)['"]/g)) add(match[1]);
    }
    return packages;
  }

  it('lists every package the app’s processes import at run time, and only those', async () => {
    const imported = await runtimeImports();
    imported.delete('electron'); // provided by the runtime itself, never packed
    const declared = new Set(Object.keys(pkg.dependencies));
    const missing = [...imported].filter((p) => !declared.has(p));
    const unused = [...declared].filter((p) => !imported.has(p));
    expect(missing, 'imported at run time but not in dependencies (the packaged app would not find them)').toEqual([]);
    expect(unused, 'in dependencies but imported by no main/worker/CLI code (renderer-only packages are bundled by Vite: devDependencies)').toEqual([]);
  });

  it('keeps Electron and the build and test tools out of the packed dependencies', () => {
    const dependencies = Object.keys(pkg.dependencies);
    for (const tool of ['electron', 'esbuild', 'vite', 'vitest', 'typescript', '@playwright/test', 'svelte', 'electron-builder', 'assemblyscript']) {
      expect(dependencies, tool).not.toContain(tool);
    }
    expect(dependencies.filter((d) => d in pkg.devDependencies)).toEqual([]);
  });

  it('needs no native module (nothing to rebuild for Electron’s Node)', () => {
    for (const name of Object.keys(pkg.dependencies)) {
      const dir = join(root, 'node_modules', name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { gypfile?: boolean; scripts?: Record<string, string> };
      expect(manifest.gypfile ?? false, name).toBe(false);
      expect(existsSync(join(dir, 'binding.gyp')) && statSync(join(dir, 'binding.gyp')).isFile(), name).toBe(false);
    }
  });
});
