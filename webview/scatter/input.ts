// Turns pointer, wheel and key events on the scatter canvas into view and picking intents. Positions handed on are
// CSS px relative to the canvas's top-left corner. A 2-D view pans on drag; a 3-D view turns on drag and pans on
// shift-drag or right-drag, and its arrow keys turn it.

/** What the input layer asks of the scatter. */
export interface InputTarget {
  /** True when the view is 3-D: a drag turns it. */
  readonly orbits: boolean;
  panBy(dx: number, dy: number): void;
  /** Turns a 3-D view as a drag of (dx, dy) CSS px would. */
  orbitBy(dx: number, dy: number): void;
  zoomAt(factor: number, x: number, y: number): void;
  fit(): void;
  /** The pointer rests at (x, y) (canvas CSS px) / (clientX, clientY) (viewport CSS px). */
  hover(x: number, y: number, clientX: number, clientY: number): void;
  /** The pointer left, or a drag began: nothing is hovered. */
  hoverEnd(): void;
  /** A press and release without a drag at (x, y). */
  click(x: number, y: number): void;
}

// A press that moves less than this (CSS px) is still a click: hands shake by 1–2 px while clicking.
const DRAG_THRESHOLD = 4;
// Wheel zoom: a typical 100 px notch zooms by e^0.2 ≈ 1.22×. Pinch gestures arrive as ctrl+wheel with small deltas.
const WHEEL_ZOOM_PER_PX = 0.002;
const PINCH_ZOOM_PER_PX = 0.01;
const LINE_PX = 16; // deltaMode 1 (lines): the usual line height
const KEY_ZOOM = 1.25;
const KEY_PAN_PX = 48;
// An arrow key turns a 3-D view as a 15 px drag does (about 7°); with shift four times that.
const KEY_ORBIT_PX = 15;
// Pointer buttons: main (left), auxiliary (middle), secondary (right).
const MAIN_BUTTON = 0;
const SECONDARY_BUTTON = 2;
const AUX_BUTTON = 1;

/** Listens on one canvas; `dispose` removes every listener. */
export class CanvasInput {
  private pressId = -1;
  private startX = 0;
  private startY = 0;
  private lastX = 0;
  private lastY = 0;
  private dragging = false;
  private pressButton = MAIN_BUTTON;

  /** Starts listening on `canvas`. */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly target: InputTarget,
  ) {
    canvas.addEventListener('pointerdown', this.onPointerDown);
    canvas.addEventListener('pointermove', this.onPointerMove);
    canvas.addEventListener('pointerup', this.onPointerUp);
    canvas.addEventListener('pointercancel', this.onPointerCancel);
    canvas.addEventListener('pointerleave', this.onPointerLeave);
    canvas.addEventListener('wheel', this.onWheel, { passive: false });
    canvas.addEventListener('keydown', this.onKeyDown);
    canvas.addEventListener('contextmenu', this.onContextMenu);
    if (canvas.tabIndex < 0) canvas.tabIndex = 0; // focusable, so +/-/0 reach it
    canvas.style.touchAction = 'none'; // we pan and zoom ourselves
  }

  private local(e: MouseEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  private readonly onPointerDown = (e: PointerEvent): void => {
    if (this.pressId >= 0) return;
    // 2-D: the main button only (as before 3-D existed); 3-D: the others pan.
    const panButton = e.button === SECONDARY_BUTTON || e.button === AUX_BUTTON;
    if (e.button !== MAIN_BUTTON && !(this.target.orbits && panButton)) return;
    this.pressId = e.pointerId;
    this.pressButton = e.button;
    this.startX = this.lastX = e.clientX;
    this.startY = this.lastY = e.clientY;
    this.dragging = false;
    try {
      this.canvas.setPointerCapture(e.pointerId);
    } catch {
      // Synthetic or already-released pointers cannot be captured; the drag still works while over the canvas.
    }
    // No focus() here: a real press focuses the canvas by itself (it has a tabindex), without a focus ring.
  };

  private readonly onPointerMove = (e: PointerEvent): void => {
    if (this.pressId === e.pointerId) {
      if (!this.dragging && Math.hypot(e.clientX - this.startX, e.clientY - this.startY) >= DRAG_THRESHOLD) {
        this.dragging = true;
        this.canvas.style.cursor = 'grabbing';
        this.target.hoverEnd();
      }
      if (this.dragging) {
        const dx = e.clientX - this.lastX;
        const dy = e.clientY - this.lastY;
        // Checked on every move: pressing or releasing shift mid-drag switches between turning and panning.
        if (this.target.orbits && this.pressButton === MAIN_BUTTON && !e.shiftKey) this.target.orbitBy(dx, dy);
        else this.target.panBy(dx, dy);
      }
      this.lastX = e.clientX;
      this.lastY = e.clientY;
      return;
    }
    if (this.pressId >= 0) return;
    const p = this.local(e);
    this.target.hover(p.x, p.y, e.clientX, e.clientY);
  };

  private readonly onPointerUp = (e: PointerEvent): void => {
    if (this.pressId !== e.pointerId) return;
    const wasDrag = this.dragging;
    const button = this.pressButton;
    this.release(e.pointerId);
    const p = this.local(e);
    if (!wasDrag && button === MAIN_BUTTON) this.target.click(p.x, p.y);
    this.target.hover(p.x, p.y, e.clientX, e.clientY);
  };

  private readonly onPointerCancel = (e: PointerEvent): void => {
    if (this.pressId === e.pointerId) this.release(e.pointerId);
  };

  private readonly onPointerLeave = (): void => {
    if (this.pressId < 0) this.target.hoverEnd();
  };

  private release(pointerId: number): void {
    this.pressId = -1;
    this.dragging = false;
    this.canvas.style.cursor = '';
    try {
      if (this.canvas.hasPointerCapture(pointerId)) this.canvas.releasePointerCapture(pointerId);
    } catch {
      // Already released.
    }
  }

  private readonly onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? LINE_PX : e.deltaMode === 2 ? this.canvas.clientHeight : 1;
    const factor = Math.exp(-e.deltaY * unit * (e.ctrlKey ? PINCH_ZOOM_PER_PX : WHEEL_ZOOM_PER_PX));
    const p = this.local(e);
    this.target.zoomAt(factor, p.x, p.y);
    if (this.pressId < 0) this.target.hover(p.x, p.y, e.clientX, e.clientY);
  };

  /** A 3-D view pans on right-drag: no context menu over it (on Linux and macOS it would open on the press). */
  private readonly onContextMenu = (e: MouseEvent): void => {
    if (this.target.orbits) e.preventDefault();
  };

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return; // leave shortcuts to VS Code
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    if (this.target.orbits && e.key.startsWith('Arrow')) {
      const turn = e.shiftKey ? 4 * KEY_ORBIT_PX : KEY_ORBIT_PX;
      const dx = e.key === 'ArrowLeft' ? -turn : e.key === 'ArrowRight' ? turn : 0;
      const dy = e.key === 'ArrowUp' ? -turn : e.key === 'ArrowDown' ? turn : 0;
      if (dx === 0 && dy === 0) return;
      this.target.orbitBy(dx, dy);
      e.preventDefault();
      return;
    }
    const step = e.shiftKey ? 4 * KEY_PAN_PX : KEY_PAN_PX;
    switch (e.key) {
      case '+':
      case '=':
        this.target.zoomAt(KEY_ZOOM, w / 2, h / 2);
        break;
      case '-':
      case '_':
        this.target.zoomAt(1 / KEY_ZOOM, w / 2, h / 2);
        break;
      case '0':
        this.target.fit();
        break;
      case 'ArrowLeft':
        this.target.panBy(step, 0);
        break;
      case 'ArrowRight':
        this.target.panBy(-step, 0);
        break;
      case 'ArrowUp':
        this.target.panBy(0, step);
        break;
      case 'ArrowDown':
        this.target.panBy(0, -step);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  /** Removes every listener. */
  dispose(): void {
    const canvas = this.canvas;
    canvas.removeEventListener('pointerdown', this.onPointerDown);
    canvas.removeEventListener('pointermove', this.onPointerMove);
    canvas.removeEventListener('pointerup', this.onPointerUp);
    canvas.removeEventListener('pointercancel', this.onPointerCancel);
    canvas.removeEventListener('pointerleave', this.onPointerLeave);
    canvas.removeEventListener('wheel', this.onWheel);
    canvas.removeEventListener('keydown', this.onKeyDown);
    canvas.removeEventListener('contextmenu', this.onContextMenu);
  }
}
