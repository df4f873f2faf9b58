import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aboutLines, aboutMessage } from '../../main/electron/about.js';
import { APP_CSP, APP_INDEX_URL, isAppUrl, resolveAppRequest, responseHeaders } from '../../main/electron/app-protocol.js';
import { contentTypeFor } from '../../main/renderer-serving.js';
import { createRouter, type Handlers } from '../../main/ipc/router.js';
import { externalUrlAllowed, hostOf, isTrustedSender, navigationAllowed, permissionAllowed } from '../../main/electron/security.js';
import { appInfo } from '../../main/services/app.js';

describe('the app:// protocol serving the renderer', () => {
  const root = join(tmpdir(), 'renderer');

  it('serves files from the built renderer only', () => {
    expect(resolveAppRequest(root, APP_INDEX_URL)).toBe(join(root, 'index.html'));
    expect(resolveAppRequest(root, 'app://nn-studio/')).toBe(join(root, 'index.html'));
    expect(resolveAppRequest(root, 'app://nn-studio/assets/index-3f2a.js?v=1#x')).toBe(join(root, 'assets', 'index-3f2a.js'));
    expect(resolveAppRequest(root, 'app://nn-studio/assets/my%20font.woff2')).toBe(join(root, 'assets', 'my font.woff2'));
  });

  it('refuses every way out of that folder, and other hosts and schemes', () => {
    for (const url of [
      'app://nn-studio/../../etc/passwd',
      'app://nn-studio/%2e%2e/%2e%2e/etc/passwd',
      'app://nn-studio/assets/..%2f..%2f..%2fetc%2fpasswd',
      'app://nn-studio/%2Fetc%2Fpasswd/..',
      'app://nn-studio/a%00.js',
      'app://nn-studio/%E0%A4%A',
      'app://evil/index.html',
      'file:///etc/passwd',
      'https://nn-studio/index.html',
    ]) {
      // Either refused, or (the URL parser having folded the dots away) a file inside the folder.
      const file = resolveAppRequest(root, url);
      if (file !== null) expect(file.startsWith(root + '/'), url).toBe(true);
    }
    expect(resolveAppRequest(root, 'app://evil/index.html')).toBeNull();
    expect(resolveAppRequest(root, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppRequest(root, 'app://nn-studio/a%00.js')).toBeNull();
  });

  it('sends module scripts and WebAssembly with the types Chromium requires, and the CSP on every response', () => {
    expect(contentTypeFor('/r/assets/index.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/r/kernels.wasm')).toBe('application/wasm');
    expect(contentTypeFor('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/r/unknown.bin')).toBe('application/octet-stream');
    expect(responseHeaders('/r/index.html')).toMatchObject({ 'Content-Security-Policy': APP_CSP, 'X-Content-Type-Options': 'nosniff' });
  });

  it('has a restrictive CSP: own scripts only, no eval but WebAssembly, no plugins, frames, forms or foreign connections', () => {
    const directives = Object.fromEntries(APP_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['default-src']).toBe("'self'");
    expect(directives['script-src']).toBe("'self' 'wasm-unsafe-eval'");
    expect(directives['connect-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['form-action']).toBe("'none'");
    expect(APP_CSP).not.toMatch(/'unsafe-eval'|https?:|\*/);
  });
});

describe('IPC senders', () => {
  it('accepts only the app’s own page in its top frame', () => {
    expect(isTrustedSender({ url: APP_INDEX_URL, isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://nn-studio/index.html#/train', isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: APP_INDEX_URL, isTopFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/out/renderer/index.html', isTopFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'app://nn-studio.evil/index.html', isTopFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('navigation, new windows and links', () => {
  it('never navigates the window', () => {
    for (const url of [APP_INDEX_URL, 'https://github.com/', 'file:///etc/passwd', 'javascript:alert(1)']) expect(navigationAllowed(url)).toBe(false);
  });

  it('opens only https links to allow-listed hosts in the system browser', () => {
    expect(externalUrlAllowed('https://onnx.ai/onnx/operators/')).toBe(true);
    expect(externalUrlAllowed('https://github.com/onnx/onnx')).toBe(true);
    for (const url of [
      'http://onnx.ai/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://attacker/share/x.exe',
      'ms-msdt:/id PCWDiagnostic',
      'javascript:alert(1)',
      'https://onnx.ai.evil.example/',
      'https://evil.example/?https://onnx.ai',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'not a url',
    ]) expect(externalUrlAllowed(url), url).toBe(false);
    expect(externalUrlAllowed('https://docs.example.org/x', ['docs.example.org'])).toBe(true);
  });

  it('takes extra hosts only from https addresses', () => {
    expect(hostOf('https://Docs.Example.org/nn')).toBe('docs.example.org');
    expect(hostOf('http://docs.example.org/')).toBeNull();
    expect(hostOf(undefined)).toBeNull();
  });
});

describe('permission requests', () => {
  it('refuses camera, microphone, notifications, geolocation, clipboard reading and the rest', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'midi', 'midiSysex', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb']) {
      expect(permissionAllowed(permission, APP_INDEX_URL), permission).toBe(false);
    }
  });

  it('lets only the app’s own page write to the clipboard (its Copy buttons)', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'app://nn-studio')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });
});

describe('desktop channels', () => {
  const calls: unknown[] = [];
  const handlers = {
    'dialog:open': (req: unknown, win: string) => (calls.push([win, req]), { paths: ['/x.nnstudio'] }),
    'window:document': () => null,
    'window:saved': () => {
      throw new Error('boom');
    },
  } as unknown as Partial<Handlers<string>>;
  const route = createRouter(handlers);
  const router = (win: string, channel: string, payload: unknown) => route(channel, payload, win);

  it('hands a valid request to its handler with the window that asked', async () => {
    expect(await router('window-1', 'dialog:open', { kind: 'project' })).toEqual({ ok: true, value: { paths: ['/x.nnstudio'] } });
    expect(calls).toEqual([['window-1', { kind: 'project' }]]);
  });

  it('refuses unknown channels and bad payloads with typed errors naming the field', async () => {
    expect(await router('w', 'shell:exec', {})).toMatchObject({ ok: false, error: { name: 'UnknownChannel' } });
    const bad = await router('w', 'window:document', { name: '', path: 3, dirty: 'yes' });
    expect(bad).toMatchObject({ ok: false, error: { name: 'InvalidPayload' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/^window:document: name: .*; path: .*; dirty: /);
  });

  it('reports a handler’s failure as an error reply instead of throwing', async () => {
    expect(await router('w', 'window:saved', { replyId: 1, saved: true })).toEqual({ ok: false, error: { name: 'InternalError', message: 'boom' } });
  });
});

describe('About NN Studio', () => {
  it('shows the version, the engine backend and the Electron, Chromium and Node versions', () => {
    const info = { ...appInfo('electron'), versions: { node: '22.20.0', electron: '45.4.1', chrome: '142.0.7444.59' }, engine: { backend: 'wasm-relaxed-simd', simd: true, threads: 2 }, cores: 2 };
    expect(aboutLines(info)).toEqual([
      `Version ${info.version}`,
      'Engine backend: wasm-relaxed-simd (SIMD available, 2 threads, 2 cores)',
      'Electron 45.4.1 · Chromium 142.0.7444.59 · Node 22.20.0',
      `${info.platform} ${info.arch}`,
    ]);
    expect(aboutMessage(info)).toMatchObject({ title: 'About NN Studio', message: `NN Studio ${info.version}` });
    expect(aboutMessage(info).detail).toContain('wasm-relaxed-simd');
  });
});
