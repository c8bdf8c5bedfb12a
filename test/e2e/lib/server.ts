// Starts and stops a real VS Code (code-server: VS Code's server, web workbench and Node extension host) on
// 127.0.0.1 with fresh, throw-away state, for end-to-end tests. test/e2e/install.sh puts code-server in .cache/.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './paths';

/** The code-server release test/e2e/install.sh installs (the newest one that declares Node 20). */
export const CODE_SERVER_VERSION = '4.100.3';
/** The code-server launcher inside the repository's cache. */
export const CODE_SERVER_BIN = join(REPO_ROOT, '.cache', `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');

/** Bind address: never anything but the loopback interface. */
const HOST = '127.0.0.1';
/** Measured start → /healthz is 1–3 s here; a loaded 2-core CI machine gets ample slack. */
const HEALTH_TIMEOUT_MS = 90_000;
const POLL_MS = 100;
/** How long stop() waits after SIGTERM before it sends SIGKILL to the process group. */
const STOP_GRACE_MS = 10_000;
/** Unix socket paths are limited to 107 bytes; VS Code puts `vscode-ipc-<uuid>.sock` (52 bytes) in TMPDIR. */
const MAX_TMPDIR_LENGTH = 107 - 52 - 2;

/** What startServer needs: the folder to open and where to keep the server's state. */
export interface ServerOptions {
  /** Absolute path of the workspace folder that the workbench opens. */
  readonly workspace: string;
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  readonly port?: number;
  /** Folder for all of this server's state; wiped and recreated. Keep it short (unix socket paths). */
  readonly runDir: string;
  /** A .vsix installed with --install-extension before the server starts. */
  readonly vsix?: string;
  /** true (default): workspace trust disabled (everything trusted); false: trust enabled and the folder untrusted. */
  readonly trust?: boolean;
  /** Extra environment for the server; extension hosts inherit it. */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra user settings merged over the defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** A running code-server. */
export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:PORT (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The workbench's remoteAuthority: the host part of vscode-remote:// URIs for this server. */
  readonly authority: string;
  readonly runDir: string;
  /** The server's log (stdout and stderr). */
  readonly logFile: string;
  /** Process id, also the id of the server's process group. */
  readonly pid: number;
  /** Milliseconds from spawn until /healthz answered. */
  readonly startMs: number;
  /** Ends the whole process group: SIGTERM, then SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** Process groups of servers still running: the exit safety net kills them. */
const liveGroups = new Set<number>();
let safetyNetInstalled = false;

/** Kills every server this process started and has not stopped yet; synchronous, for exit handlers. */
export function killAllServersSync(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

/** Makes sure no server outlives this process, whether it exits normally or on SIGINT/SIGTERM/SIGHUP. Idempotent. */
export function installExitSafetyNet(): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  process.on('exit', killAllServersSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllServersSync();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal); // die of the same signal, as without the handler
    };
    process.on(signal, onSignal);
  }
}

/** Starts code-server with fresh user data, extensions, HOME, XDG dirs and TMPDIR under runDir, and waits for /healthz. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  if (!existsSync(CODE_SERVER_BIN)) throw new Error(`code-server is not installed at ${CODE_SERVER_BIN}: run test/e2e/install.sh`);
  const runDir = resolve(options.runDir);
  const trust = options.trust ?? true;
  const port = options.port !== undefined && options.port !== 0 ? options.port : await freePort();
  const dirs = prepareRunDir(runDir);
  const configFile = join(runDir, 'config.yaml');
  writeFileSync(configFile, configYaml(port, dirs, trust));
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...userSettings(trust), ...options.settings }, null, 2));
  const env = serverEnv(dirs, options.env ?? {});

  if (options.vsix !== undefined) installExtension(configFile, options.vsix, env, runDir);

  const logFile = join(runDir, 'code-server.log');
  const logFd = openSync(logFile, 'w');
  const spawnedAt = performance.now();
  // detached: the server leads a new session and process group (setsid), so stop() ends it and every child
  // (VS Code server, extension hosts, pty host, file watcher) by one id; a closed browser alone leaves them running.
  const child = spawn(CODE_SERVER_BIN, ['--config', configFile, resolve(options.workspace)], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env,
  });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${CODE_SERVER_BIN}`);
  installExitSafetyNet();
  liveGroups.add(pid);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `code ${String(code)}, signal ${String(signal)}`;
  });
  child.unref();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= stopGroup(pid).then(() => {
      if (!dirs.tmp.startsWith(runDir)) rmSync(dirs.tmp, { recursive: true, force: true }); // the /tmp fallback
    }));
  const url = `http://${HOST}:${port}`;
  try {
    await waitForHealth(url, () => exited, logFile);
    const startMs = Math.round(performance.now() - spawnedAt);
    const authority = await remoteAuthority(url);
    return { url, port, authority, runDir, logFile, pid, startMs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface RunDirs {
  readonly userData: string;
  readonly extensions: string;
  readonly home: string;
  readonly tmp: string;
  readonly xdgConfig: string;
  readonly xdgData: string;
  readonly xdgCache: string;
}

function prepareRunDir(runDir: string): RunDirs {
  rmSync(runDir, { recursive: true, force: true });
  const inRun = (name: string): string => join(runDir, name);
  // TMPDIR holds VS Code's unix sockets: under runDir when that path is short enough, else a fresh folder in /tmp.
  const tmp = inRun('tmp').length <= MAX_TMPDIR_LENGTH ? inRun('tmp') : mkdtempSync(join(tmpdir(), 'elens-'));
  const dirs: RunDirs = {
    userData: inRun('user-data'),
    extensions: inRun('extensions'),
    home: inRun('home'),
    tmp,
    xdgConfig: inRun('xdg-config'),
    xdgData: inRun('xdg-data'),
    xdgCache: inRun('xdg-cache'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  return dirs;
}

function configYaml(port: number, dirs: RunDirs, trust: boolean): string {
  return [
    `bind-addr: ${HOST}:${port}`,
    'auth: none',
    'cert: false',
    'disable-telemetry: true',
    'disable-update-check: true',
    'disable-getting-started-override: true',
    // Without this line workspace trust is on and the folder starts untrusted (restricted mode).
    ...(trust ? ['disable-workspace-trust: true'] : []),
    `user-data-dir: ${dirs.userData}`,
    `extensions-dir: ${dirs.extensions}`,
    '',
  ].join('\n');
}

/** No welcome page, tips, telemetry, update or gallery checks; trust per the option. */
function userSettings(trust: boolean): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'npm.fetchOnlinePackageInfo': false,
    'json.schemaDownload.enable': false,
    'typescript.disableAutomaticTypeAcquisition': true,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'security.workspace.trust.enabled': !trust,
    // Untrusted runs open straight into restricted mode instead of a modal "Do you trust the authors?" dialog.
    ...(trust ? {} : { 'security.workspace.trust.startupPrompt': 'never' }),
  };
}

function serverEnv(dirs: RunDirs, extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A VS Code terminal's VSCODE_* variables would connect the server to that VS Code; node:test's and
    // NODE_OPTIONS would leak into the extension host.
    if (key.startsWith('VSCODE_') || key === 'NODE_OPTIONS' || key.startsWith('NODE_TEST')) continue;
    env[key] = value;
  }
  return {
    ...env,
    // code-server writes config, logs and a device id under HOME/XDG otherwise; TMPDIR gets its sockets.
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    // An empty gallery: no lookups to the default marketplace host.
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

function installExtension(configFile: string, vsix: string, env: NodeJS.ProcessEnv, runDir: string): void {
  const result = spawnSync(CODE_SERVER_BIN, ['--config', configFile, '--install-extension', resolve(vsix), '--force'], {
    env,
    encoding: 'utf8',
    timeout: 120_000, // measured ~3 s; a hung install must not hang the test run
  });
  writeFileSync(join(runDir, 'install-extension.log'), `${result.stdout}\n${result.stderr}`);
  if (result.status !== 0) {
    throw new Error(
      `code-server --install-extension ${vsix} failed (${String(result.status ?? result.signal)}):\n${result.stdout}${result.stderr}`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

async function waitForHealth(url: string, exited: () => string | undefined, logFile: string): Promise<void> {
  const deadline = performance.now() + HEALTH_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const status = exited();
    if (status !== undefined) throw new Error(`code-server exited (${status}) before answering /healthz; log:\n${logTail(logFile)}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(POLL_MS);
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${HEALTH_TIMEOUT_MS} ms; log:\n${logTail(logFile)}`);
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/**
 * The remoteAuthority in the workbench page's <meta id="vscode-workbench-web-configuration" data-settings="{…}">:
 * "127.0.0.1:PORT" in code-server 4.100 (the constant "remote" in later releases). `ew=true` asks for an empty window.
 */
export async function remoteAuthority(url: string): Promise<string> {
  const response = await fetch(`${url}/?ew=true`);
  const html = await response.text();
  const match = /id="vscode-workbench-web-configuration"[^>]*?data-settings="([^"]*)"/.exec(html);
  if (match?.[1] === undefined) throw new Error(`no workbench configuration in ${url}/?ew=true (HTTP ${response.status})`);
  const settings: unknown = JSON.parse(unescapeHtml(match[1]));
  const authority =
    typeof settings === 'object' && settings !== null ? (settings as { remoteAuthority?: unknown }).remoteAuthority : undefined;
  return typeof authority === 'string' && authority !== '' ? authority : new URL(url).host;
}

function unescapeHtml(text: string): string {
  const entities: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
  return text.replace(/&(?:quot|#39|lt|gt|amp);/g, (entity) => entities[entity] ?? entity);
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}

async function stopGroup(pgid: number): Promise<void> {
  if (signalGroup(pgid, 'SIGTERM')) {
    const deadline = performance.now() + STOP_GRACE_MS;
    while (signalGroup(pgid, 0) && performance.now() < deadline) await sleep(POLL_MS);
    if (signalGroup(pgid, 0)) signalGroup(pgid, 'SIGKILL');
  }
  liveGroups.delete(pgid);
}
