// The TensorFlow Embedding Projector's way of drawing a 2-D scatter, rebuilt for the benchmark (our own code, written
// after reading tensorboard/plugins/projector/vz_projector/scatterPlot.ts and scatterPlotVisualizerSprites.ts):
// three.js WebGLRenderer, THREE.Points over a BufferGeometry of xyz positions with per-point colour and scale
// attributes, a ShaderMaterial that discards outside a circle, an OrthographicCamera driven by OrbitControls
// (left button pans, wheel zooms, rotation off), and a render on every controls 'change'.
//
// `faithful: true` also does what the projector does on each render: an O(n) near/far scan of the points against
// the camera, a picking pass (point ids as colours) into a render target the size of the canvas, and fresh colour
// and scale BufferAttributes for both passes (so both are uploaded again). `faithful: false` is the best case of the
// approach: one pass, attributes uploaded once.
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

const VERTEX = `
attribute vec3 color;
attribute float scaleFactor;
uniform float pointSize;
varying vec3 vColor;
void main() {
  vColor = color;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  gl_PointSize = pointSize * scaleFactor;
}`;

const FRAGMENT = `
varying vec3 vColor;
uniform float opacity;
void main() {
  vec2 d = gl_PointCoord - vec2(0.5);
  if (dot(d, d) > 0.25) discard;
  gl_FragColor = vec4(vColor, opacity);
}`;

// The projector's orthographic frustum is ±1.2 around data normalised to ±1, widened along the longer canvas side.
// The benchmark instead fits the frustum to the data with our margin (24 CSS px), so that every implementation
// puts the same points on the same pixels.
const MARGIN = 24;

export class ProjectorStyleScatter {
  /**
   * @param {HTMLCanvasElement} canvas sized by CSS
   * @param {Float32Array} xy
   * @param {Float32Array} shade
   * @param {{ faithful: boolean, style: (zoom: number) => { diameter: number, alpha: number }, onDraw: (ms: number) => void }} options
   */
  constructor(canvas, xy, shade, options) {
    this.options = options;
    const n = xy.length / 2;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    this.dpr = window.devicePixelRatio || 1;
    this.renderer = new THREE.WebGLRenderer({ canvas, alpha: true, premultipliedAlpha: false, antialias: false });
    this.renderer.setPixelRatio(this.dpr);
    this.renderer.setSize(width, height, false);
    this.renderer.setClearColor(0x1f1f1f, 1);
    this.scene = new THREE.Scene();

    // Positions normalised into [-1, 1] as the projector's data set does, z = 0 for a 2-D projection.
    let minX = Infinity,
      maxX = -Infinity,
      minY = Infinity,
      maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, xy[2 * i]);
      maxX = Math.max(maxX, xy[2 * i]);
      minY = Math.min(minY, xy[2 * i + 1]);
      maxY = Math.max(maxY, xy[2 * i + 1]);
    }
    const cx = (minX + maxX) / 2,
      cy = (minY + maxY) / 2,
      s = Math.max(maxX - minX, maxY - minY) / 2 || 1;
    this.positions = new Float32Array(3 * n);
    this.colors = new Float32Array(3 * n);
    this.pickingColors = new Float32Array(3 * n);
    this.scaleFactors = new Float32Array(n).fill(1);
    const from = new THREE.Color(0x3794ff),
      to = new THREE.Color(0xd18616),
      c = new THREE.Color();
    for (let i = 0; i < n; i++) {
      this.positions[3 * i] = (xy[2 * i] - cx) / s;
      this.positions[3 * i + 1] = (xy[2 * i + 1] - cy) / s;
      c.copy(from).lerp(to, shade[i]);
      this.colors.set([c.r, c.g, c.b], 3 * i);
      this.pickingColors.set([((i >> 16) & 255) / 255, ((i >> 8) & 255) / 255, (i & 255) / 255], 3 * i);
    }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(this.positions, 3));
    geometry.setAttribute('color', new THREE.BufferAttribute(this.colors, 3));
    geometry.setAttribute('scaleFactor', new THREE.BufferAttribute(this.scaleFactors, 1));
    const material = (fragmentShader, transparent) =>
      new THREE.ShaderMaterial({
        uniforms: { pointSize: { value: 1 }, opacity: { value: 1 } },
        vertexShader: VERTEX,
        fragmentShader,
        transparent,
        depthTest: false,
        depthWrite: false,
        blending: transparent ? THREE.NormalBlending : THREE.NoBlending,
      });
    this.renderMaterial = material(FRAGMENT, true);
    this.pickingMaterial = material(FRAGMENT.replace('opacity)', '1.0)'), false);
    this.points = new THREE.Points(geometry, this.renderMaterial);
    this.points.frustumCulled = false;
    this.scene.add(this.points);

    // CSS px per normalised unit when fitted, as webview/scatter/camera.ts's fit computes it.
    const fit = Math.min((width - 2 * MARGIN) / ((maxX - minX) / s), (height - 2 * MARGIN) / ((maxY - minY) / s));
    const hx = width / 2 / fit;
    const hy = height / 2 / fit;
    this.camera = new THREE.OrthographicCamera(-hx, hx, hy, -hy, -1000, 1000);
    this.camera.position.set(0, 0, 4);
    this.camera.up.set(0, 1, 0);
    this.camera.lookAt(0, 0, 0);
    this.camera.updateProjectionMatrix();
    this.pickingTarget = new THREE.WebGLRenderTarget(width * this.dpr, height * this.dpr);

    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableRotate = false;
    this.controls.mouseButtons.LEFT = THREE.MOUSE.PAN;
    this.controls.mouseButtons.RIGHT = null;
    this.controls.addEventListener('change', () => this.render());
    this.controls.update();
    this.render();
  }

  /** The GPU renderer string. */
  describe() {
    const gl = this.renderer.getContext();
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  }

  render() {
    const started = performance.now();
    const style = this.options.style(this.camera.zoom);
    const size = style.diameter * this.dpr;
    if (this.options.faithful) {
      // The projector measures the nearest and farthest point from the camera on every render (for fog in 3-D).
      const p = this.positions,
        cam = this.camera.position;
      let near = Infinity,
        far = 0;
      for (let i = 0; i < p.length; i += 3) {
        const d = Math.hypot(p[i] - cam.x, p[i + 1] - cam.y, p[i + 2] - cam.z);
        if (d < near) near = d;
        if (d > far) far = d;
      }
      this.nearFar = near + far;
      // Picking pass: ids as colours into the render target, with fresh attributes.
      const geometry = this.points.geometry;
      this.points.material = this.pickingMaterial;
      this.pickingMaterial.uniforms.pointSize.value = size;
      geometry.setAttribute('color', fresh(this.pickingColors, 3));
      geometry.setAttribute('scaleFactor', fresh(this.scaleFactors, 1));
      this.renderer.setRenderTarget(this.pickingTarget);
      this.renderer.render(this.scene, this.camera);
      this.renderer.setRenderTarget(null);
      // Visible pass, attributes fresh again.
      this.points.material = this.renderMaterial;
      geometry.setAttribute('color', fresh(this.colors, 3));
      geometry.setAttribute('scaleFactor', fresh(this.scaleFactors, 1));
    }
    this.renderMaterial.uniforms.pointSize.value = size;
    this.renderMaterial.uniforms.opacity.value = style.alpha;
    this.renderer.render(this.scene, this.camera);
    this.options.onDraw(performance.now() - started);
  }
}

function fresh(array, itemSize) {
  const attribute = new THREE.BufferAttribute(array, itemSize);
  attribute.needsUpdate = true;
  return attribute;
}
