// The benchmark page: draws the same seeded points with one implementation, or two side by side (impl=a+b), replays
// a scripted pan + zoom as synthetic input events (one per animation frame, to every canvas) and leaves the
// measurements in window.benchResult.
//
//   ?impl=ours|ours-canvas2d|three-projector|three-points[+another]&n=100000&frames=240&warmup=30&seed=1&sync=1
//
// With sync=1 (default) every WebGL draw is followed by a 1-pixel readPixels, which returns only when the GPU process
// (SwiftShader here) has executed everything queued: "draw → done" is then the whole cost of the frame. Without it,
// Chromium pipelines and drops frames, and animation-frame intervals say little about the work per frame.
// Two implementations in one page see the same moments of a noisy machine: their per-frame costs pair up.
import { Scatter } from '../../webview/scatter/scatter';
import { pointStyle } from '../../webview/scatter/point-style';
import { clusteredPoints } from './data.mjs';
import { ProjectorStyleScatter } from './three-projector.mjs';

const params = new URLSearchParams(location.search);
const impls = (params.get('impl') ?? 'ours').split(' ').join('+').split('+');
const n = Number(params.get('n') ?? 100_000);
const frames = Number(params.get('frames') ?? 240);
const warmup = Number(params.get('warmup') ?? 30);
const seed = Number(params.get('seed') ?? 1);
const sync = params.get('sync') !== '0';
// Zoom per frame during the zoom phases: 8× over a quarter of the script, the same for every implementation.
const zoomPerFrame = Math.pow(8, 1 / Math.max(1, Math.floor(frames / 4)));
const pixel = new Uint8Array(4);
const style = { diameter: 1, alpha: 1, emphasis: 1, ring: 1, ringWidth: 1, halo: 0 };
let recording = false;

// Synthetic pointers cannot be captured; both implementations call setPointerCapture, so make it a no-op for all.
HTMLCanvasElement.prototype.setPointerCapture = () => {};
HTMLCanvasElement.prototype.releasePointerCapture = () => {};
HTMLCanvasElement.prototype.hasPointerCapture = () => false;

const { xy, shade } = clusteredPoints(n, seed);

function rendererString(gl) {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** One implementation on its own canvas, with its measurements. */
function createSubject(impl) {
  const canvas = document.createElement('canvas');
  canvas.className = 'plot';
  document.body.append(canvas);
  const subject = { impl, canvas, gl: null, cpu: [], done: [], renderer: '', wheelDelta: (f) => f, drawn: () => 0 };
  /** Records one draw: its CPU time, then (sync mode) waits for the GPU and records the total. */
  const drew = (cpuMs) => {
    if (!recording) return;
    subject.cpu.push(cpuMs);
    if (!sync) return;
    const started = performance.now();
    if (subject.gl) subject.gl.readPixels(0, 0, 1, 1, subject.gl.RGBA, subject.gl.UNSIGNED_BYTE, pixel);
    // Canvas2D: reading a pixel back waits for the canvas's queued raster work (an accelerated canvas flushes).
    else subject.canvas.getContext('2d')?.getImageData(0, 0, 1, 1);
    subject.done.push(cpuMs + performance.now() - started);
  };
  if (impl === 'ours' || impl === 'ours-canvas2d') {
    const scatter = new Scatter(
      canvas,
      { onHover() {}, onSelect() {}, onViewChange: () => drew(scatter.lastFrameMs()) },
      { renderer: impl === 'ours' ? 'webgl2' : 'canvas2d' },
    );
    scatter.setPoints(xy, shade);
    subject.gl = impl === 'ours' ? canvas.getContext('webgl2') : null;
    subject.renderer = subject.gl ? `${scatter.renderer}: ${rendererString(subject.gl)}` : scatter.renderer;
    // Our wheel zoom is exp(-deltaY · 0.002) per event (webview/scatter/input.ts).
    subject.wheelDelta = (factor) => -Math.log(factor) / 0.002;
    subject.drawn = () => scatter.drawnCount;
  } else {
    const three = new ProjectorStyleScatter(canvas, xy, shade, {
      faithful: impl === 'three-projector',
      // Same point size and opacity as ours at the same zoom, so both fill the same pixels.
      style: (zoom) => pointStyle(n, zoom, false, style),
      onDraw: (ms) => drew(ms),
    });
    subject.gl = three.renderer.getContext();
    subject.renderer = `three.js: ${rendererString(subject.gl)}`;
    // OrbitControls zooms by 0.95^(0.01 · |deltaY|) per wheel event (zoomSpeed 1).
    subject.wheelDelta = (factor) => -Math.log(factor) / (0.01 * -Math.log(0.95));
    subject.drawn = () => n;
  }
  return subject;
}

const subjects = impls.map(createSubject);

// The script: zoom in at the centre, drag-pan, drag-pan back, zoom out; one event per frame and canvas.
const quarter = Math.max(1, Math.floor(frames / 4));

function pointer(subject, type, x, y) {
  const buttons = type === 'pointerup' ? 0 : 1;
  const init = {
    // OrbitControls follows a drag on the document, so three.js needs its events to bubble; ours listens on its
    // canvas, and its events must not bubble, or a three.js canvas beside it would see them and pan twice.
    bubbles: subject.impl.startsWith('three'),
    cancelable: true,
    composed: true,
    pointerId: 1,
    pointerType: 'mouse',
    isPrimary: true,
    button: type === 'pointermove' ? -1 : 0,
    buttons,
    clientX: x,
    clientY: y,
  };
  subject.canvas.dispatchEvent(new PointerEvent(type, init));
}

function wheel(subject, factor) {
  const rect = subject.canvas.getBoundingClientRect();
  const init = {
    bubbles: true,
    cancelable: true,
    deltaMode: 0,
    deltaY: subject.wheelDelta(factor),
    clientX: rect.left + rect.width / 2,
    clientY: rect.top + rect.height / 2,
  };
  subject.canvas.dispatchEvent(new WheelEvent('wheel', init));
}

function step(subject, frame) {
  if (frame < 0) return wheel(subject, frame % 2 === 0 ? 1.01 : 1 / 1.01); // warm-up: tiny zooms in and out
  const phase = Math.floor(frame / quarter) % 4;
  const at = frame % quarter;
  if (phase === 0) return wheel(subject, zoomPerFrame);
  if (phase === 3) return wheel(subject, 1 / zoomPerFrame);
  const dir = phase === 1 ? 1 : -1;
  const rect = subject.canvas.getBoundingClientRect();
  const x0 = rect.left + rect.width / 2;
  const y0 = rect.top + rect.height / 2;
  if (at === 0) pointer(subject, 'pointerdown', x0, y0);
  pointer(subject, 'pointermove', x0 + 6 * dir * (at + 1), y0 + 3 * dir * (at + 1));
  if (at === quarter - 1) pointer(subject, 'pointerup', x0 + 6 * dir * (at + 1), y0 + 3 * dir * (at + 1));
}

const stamps = [];
let frame = -warmup;
function tick(now) {
  if (frame === 0) recording = true;
  if (recording) stamps.push(now);
  if (frame >= frames) {
    recording = false;
    finish();
    return;
  }
  for (const subject of subjects) step(subject, frame);
  frame++;
  requestAnimationFrame(tick);
}

function finish() {
  const intervals = [];
  for (let i = 1; i < stamps.length; i++) intervals.push(stamps[i] - stamps[i - 1]);
  window.benchResult = {
    n,
    frames,
    sync,
    intervals,
    dpr: window.devicePixelRatio,
    subjects: subjects.map((s) => ({
      impl: s.impl,
      renderer: s.renderer,
      cpu: s.cpu,
      done: s.done,
      drawn: s.drawn(),
      width: s.canvas.width,
      height: s.canvas.height,
    })),
  };
}

// Give the first draws two frames, then start.
requestAnimationFrame(() => requestAnimationFrame(tick));
