// Launches Debian's chromium through playwright-core with a fresh, throw-away profile and HOME.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; playwright's own browser download cannot work offline. CHROMIUM overrides it. */
export const CHROMIUM_PATH = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Chromium flags for this headless, GPU-less, offline machine. WebGL2 runs on SwiftShader (ANGLE's CPU Vulkan):
 * measured with chromium 156 it works with and without --disable-gpu; the explicit ANGLE flags keep it working
 * where Chromium stops falling back to SwiftShader by itself.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox', // running as root
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking', // otherwise chromium keeps trying (and failing) to reach the network
  '--disable-component-update',
  '--disable-sync',
];

/** Options of launchBrowser. */
export interface BrowserOptions {
  /** Default 1400×850: wide enough for an editor and a panel beside it. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** The page's prefers-color-scheme (VS Code's theme is a setting; this only affects the media query). */
  readonly colorScheme?: 'light' | 'dark';
}

/** A launched browser: one persistent context and its first page. */
export interface LaunchedBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console messages and page errors of `page`, in order, as "[type] text". */
  readonly consoleLines: readonly string[];
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Starts chromium headless with a fresh profile and HOME; console lines of the page are collected. */
export async function launchBrowser(options: BrowserOptions = {}): Promise<LaunchedBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'elens-chromium-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: options.viewport ?? { width: 1400, height: 850 },
    colorScheme: options.colorScheme ?? 'dark',
    args: [...CHROMIUM_ARGS],
    // chromium writes "Crash Reports" and dconf files under $HOME even with its own profile folder.
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
  let closed = false;
  return {
    context,
    page,
    consoleLines,
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What probeWebGL2 found: whether a WebGL2 context exists, its renderer, and whether a clear color reads back. */
export interface WebGLProbe {
  readonly webgl2: boolean;
  readonly renderer: string;
  readonly drawsPixels: boolean;
}

/** Browser-side code of probeWebGL2, as text: the project's tsconfig has no DOM types (and needs none). */
const WEBGL_PROBE_SCRIPT = `(() => {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  if (gl === null) return { webgl2: false, renderer: '', drawsPixels: false };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info === null ? gl.RENDERER : info.UNMASKED_RENDERER_WEBGL));
  gl.clearColor(1, 0, 0, 1);
  gl.clear(gl.COLOR_BUFFER_BIT);
  const pixel = new Uint8Array(4);
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
  return { webgl2: true, renderer, drawsPixels: pixel[0] === 255 && pixel[1] === 0 && pixel[3] === 255 };
})()`;

/** Creates a canvas in `page` (or a frame), asks for WebGL2, clears it red and reads one pixel back. */
export async function probeWebGL2(target: Pick<Page, 'evaluate'>): Promise<WebGLProbe> {
  return target.evaluate<WebGLProbe>(WEBGL_PROBE_SCRIPT);
}
