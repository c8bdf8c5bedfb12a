// WebGL2 point renderer: one vertex buffer (normalised x,y) + one RGBA8 colour buffer, drawn as antialiased
// point sprites with premultiplied alpha; emphasis layers reuse the same vertices through uint32 index buffers.
import type { Rgba } from './colour';
import type { Frame, LayerName, PointsRenderer } from './renderer';

const VERTEX_SHADER = `#version 300 es
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec4 a_colour;
layout(location = 2) in vec2 a_cue; // size and opacity factors (a 3-D view's depth cue)
uniform vec4 u_transform; // clip = position * (x, z) + (y, w)
uniform float u_size;     // diameter in device px
uniform float u_maxSize;  // the largest point size the GPU draws
uniform vec4 u_colour;    // used when u_perPoint is 0
uniform float u_perPoint; // 1: per-point colours, 0: u_colour
uniform float u_cue;      // 1: apply a_cue, 0: ignore it
out vec4 v_colour;
out float v_size;
void main() {
  gl_Position = vec4(a_position.x * u_transform.x + u_transform.y, a_position.y * u_transform.z + u_transform.w, 0.0, 1.0);
  v_size = min(u_maxSize, u_size * mix(1.0, a_cue.x, u_cue));
  gl_PointSize = v_size;
  v_colour = mix(u_colour, a_colour, u_perPoint);
  v_colour.a *= mix(1.0, a_cue.y, u_cue);
}`;

const FRAGMENT_SHADER = `#version 300 es
precision highp float;
in vec4 v_colour;
in float v_size;       // diameter in device px
uniform float u_ring;  // 0: a filled disc; > 0: a ring this many px wide
uniform float u_alpha;
out vec4 o_colour;
void main() {
  float r = length(gl_PointCoord - 0.5) * v_size;
  float cover = clamp(v_size * 0.5 - r, 0.0, 1.0); // one-pixel antialiased edge
  if (u_ring > 0.0) cover *= clamp(r - (v_size * 0.5 - u_ring), 0.0, 1.0);
  float a = v_colour.a * u_alpha * cover;
  if (a <= 0.0) discard;
  o_colour = vec4(v_colour.rgb * a, a);
}`;

interface Uniforms {
  transform: WebGLUniformLocation | null;
  size: WebGLUniformLocation | null;
  maxSize: WebGLUniformLocation | null;
  cue: WebGLUniformLocation | null;
  colour: WebGLUniformLocation | null;
  perPoint: WebGLUniformLocation | null;
  ring: WebGLUniformLocation | null;
  alpha: WebGLUniformLocation | null;
}

interface Resources {
  program: WebGLProgram;
  vao: WebGLVertexArrayObject;
  positions: WebGLBuffer;
  colours: WebGLBuffer;
  cue: WebGLBuffer;
  order: WebGLBuffer;
  layers: Record<LayerName, WebGLBuffer>;
  uniforms: Uniforms;
  maxPointSize: number;
}

/** Context attributes: opaque canvas (we clear to the theme background), no depth/stencil/MSAA (discs antialias themselves). */
export const GL_CONTEXT_ATTRIBUTES: WebGLContextAttributes = {
  alpha: false,
  antialias: false,
  depth: false,
  stencil: false,
  premultipliedAlpha: true,
  preserveDrawingBuffer: false,
};

/** Draws the scatter with WebGL2. Throws from the constructor or `restore` when the GPU program cannot be built. */
export class GlPoints implements PointsRenderer {
  readonly kind = 'webgl2';
  private res: Resources;
  private positions: Float32Array = new Float32Array(0);
  private colours: Uint8Array = new Uint8Array(0);
  private cue: Float32Array | undefined;
  private order: Uint32Array | undefined;
  private readonly layers: Record<LayerName, Uint32Array> = { neighbors: new Uint32Array(0), highlighted: new Uint32Array(0) };

  /** Takes a WebGL2 context of the canvas to draw on. */
  constructor(private readonly gl: WebGL2RenderingContext) {
    this.res = createResources(gl);
  }

  /** The GPU renderer string (unmasked when the browser allows), for diagnostics. */
  describe(): string {
    const gl = this.gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  }

  /** Rebuilds every GPU resource after a context restore, re-uploading the kept arrays. */
  restore(): void {
    this.res = createResources(this.gl);
    this.upload(this.res.positions, this.positions);
    this.upload(this.res.colours, this.colours);
    this.setCue(this.cue);
    this.setOrder(this.order);
    this.setLayer('neighbors', this.layers.neighbors);
    this.setLayer('highlighted', this.layers.highlighted);
  }

  setPositions(positions: Float32Array): void {
    this.positions = positions;
    this.upload(this.res.positions, positions);
  }

  setColours(colours: Uint8Array): void {
    this.colours = colours;
    this.upload(this.res.colours, colours);
  }

  setCue(cue: Float32Array | undefined): void {
    this.cue = cue;
    if (cue) this.upload(this.res.cue, cue, this.gl.DYNAMIC_DRAW);
  }

  setOrder(order: Uint32Array | undefined): void {
    this.order = order;
    if (!order) return;
    const gl = this.gl;
    gl.bindVertexArray(null);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.res.order);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, order, gl.DYNAMIC_DRAW);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, null);
  }

  setLayer(layer: LayerName, indices: Uint32Array): void {
    this.layers[layer] = indices;
    const gl = this.gl;
    gl.bindVertexArray(null);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.res.layers[layer]);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, indices, gl.STATIC_DRAW);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, null);
  }

  resize(width: number, height: number): void {
    const canvas = this.gl.canvas;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
  }

  draw(frame: Frame): boolean {
    const gl = this.gl;
    if (gl.isContextLost()) return false;
    const { uniforms: u, maxPointSize } = this.res;
    const bg = frame.background;
    gl.viewport(0, 0, frame.width, frame.height);
    gl.clearColor(bg.r, bg.g, bg.b, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const count = this.positions.length >> 1;
    if (count === 0) return true;
    gl.useProgram(this.res.program);
    gl.bindVertexArray(this.res.vao);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    // Device px → clip space: x' = 2X/W - 1, y' = 1 - 2Y/H.
    gl.uniform4f(
      u.transform,
      (2 * frame.ax) / frame.width,
      (2 * frame.bx) / frame.width - 1,
      (-2 * frame.ay) / frame.height,
      1 - (2 * frame.by) / frame.height,
    );

    gl.uniform1f(u.maxSize, maxPointSize);

    // The cloud, per-point colours (and, in 3-D, per-point depth cue, drawn far to near).
    const cue = this.cue !== undefined && this.cue.length === 2 * count;
    // Read from its buffer only while it holds a pair per point: an enabled attribute must cover every index drawn.
    if (cue) gl.enableVertexAttribArray(2);
    else gl.disableVertexAttribArray(2);
    gl.uniform1f(u.cue, cue ? 1 : 0);
    gl.uniform1f(u.perPoint, 1);
    gl.uniform1f(u.ring, 0);
    gl.uniform1f(u.alpha, frame.alpha);
    gl.uniform1f(u.size, Math.min(maxPointSize, frame.diameter));
    if (this.order && this.order.length === count) {
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.res.order);
      gl.drawElements(gl.POINTS, count, gl.UNSIGNED_INT, 0);
    } else {
      gl.drawArrays(gl.POINTS, 0, count);
    }

    // Emphasis layers: every halo first, then the fills, so neighbouring hits do not cover each other.
    gl.uniform1f(u.cue, 0);
    gl.uniform1f(u.perPoint, 0);
    gl.uniform1f(u.alpha, 1);
    const halo = Math.min(maxPointSize, frame.emphasis + 2 * frame.halo);
    const fill = Math.min(maxPointSize, frame.emphasis);
    this.drawLayer('neighbors', frame.background, halo);
    this.drawLayer('highlighted', frame.background, halo);
    this.drawLayer('neighbors', frame.neighbor, fill);
    this.drawLayer('highlighted', frame.highlight, fill);

    if (frame.selected >= 0 && frame.selected < count) {
      const ring = Math.min(maxPointSize, frame.ring);
      this.setColour(frame.background);
      gl.uniform1f(u.size, Math.min(maxPointSize, ring + 2 * frame.halo));
      gl.uniform1f(u.ring, frame.ringWidth + 2 * frame.halo);
      gl.drawArrays(gl.POINTS, frame.selected, 1);
      this.setColour(frame.selection);
      gl.uniform1f(u.size, ring);
      gl.uniform1f(u.ring, frame.ringWidth);
      gl.drawArrays(gl.POINTS, frame.selected, 1);
    }
    gl.bindVertexArray(null);
    return true;
  }

  private drawLayer(layer: LayerName, colour: Rgba, size: number): void {
    const count = this.layers[layer].length;
    if (count === 0) return;
    const gl = this.gl;
    this.setColour(colour);
    gl.uniform1f(this.res.uniforms.size, size);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.res.layers[layer]);
    gl.drawElements(gl.POINTS, count, gl.UNSIGNED_INT, 0);
  }

  private setColour(c: Rgba): void {
    this.gl.uniform4f(this.res.uniforms.colour, c.r, c.g, c.b, c.a);
  }

  private upload(buffer: WebGLBuffer, data: ArrayBufferView, usage: GLenum = this.gl.STATIC_DRAW): void {
    const gl = this.gl;
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, data, usage);
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
  }

  dispose(): void {
    const gl = this.gl;
    if (gl.isContextLost()) return;
    gl.deleteBuffer(this.res.positions);
    gl.deleteBuffer(this.res.colours);
    gl.deleteBuffer(this.res.cue);
    gl.deleteBuffer(this.res.order);
    gl.deleteBuffer(this.res.layers.neighbors);
    gl.deleteBuffer(this.res.layers.highlighted);
    gl.deleteVertexArray(this.res.vao);
    gl.deleteProgram(this.res.program);
  }
}

function createResources(gl: WebGL2RenderingContext): Resources {
  const program = linkProgram(gl, VERTEX_SHADER, FRAGMENT_SHADER);
  const vao = must(gl.createVertexArray(), 'vertex array');
  const positions = must(gl.createBuffer(), 'buffer');
  const colours = must(gl.createBuffer(), 'buffer');
  const cue = must(gl.createBuffer(), 'buffer');
  gl.bindVertexArray(vao);
  gl.bindBuffer(gl.ARRAY_BUFFER, positions);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
  gl.bindBuffer(gl.ARRAY_BUFFER, colours);
  gl.enableVertexAttribArray(1);
  gl.vertexAttribPointer(1, 4, gl.UNSIGNED_BYTE, true, 0, 0);
  // The cue attribute: read from its buffer while enabled (3-D views); disabled, u_cue = 0 ignores it.
  gl.bindBuffer(gl.ARRAY_BUFFER, cue);
  gl.vertexAttribPointer(2, 2, gl.FLOAT, false, 0, 0);
  gl.bindVertexArray(null);
  gl.bindBuffer(gl.ARRAY_BUFFER, null);
  const range = gl.getParameter(gl.ALIASED_POINT_SIZE_RANGE) as Float32Array | null;
  return {
    program,
    vao,
    positions,
    colours,
    cue,
    order: must(gl.createBuffer(), 'buffer'),
    layers: { neighbors: must(gl.createBuffer(), 'buffer'), highlighted: must(gl.createBuffer(), 'buffer') },
    uniforms: {
      transform: gl.getUniformLocation(program, 'u_transform'),
      size: gl.getUniformLocation(program, 'u_size'),
      maxSize: gl.getUniformLocation(program, 'u_maxSize'),
      cue: gl.getUniformLocation(program, 'u_cue'),
      colour: gl.getUniformLocation(program, 'u_colour'),
      perPoint: gl.getUniformLocation(program, 'u_perPoint'),
      ring: gl.getUniformLocation(program, 'u_ring'),
      alpha: gl.getUniformLocation(program, 'u_alpha'),
    },
    // WebGL guarantees at least 1 px; every real implementation allows far more than our largest ring.
    maxPointSize: range?.[1] ?? 1,
  };
}

function linkProgram(gl: WebGL2RenderingContext, vertex: string, fragment: string): WebGLProgram {
  const program = must(gl.createProgram(), 'program');
  for (const [type, source] of [
    [gl.VERTEX_SHADER, vertex],
    [gl.FRAGMENT_SHADER, fragment],
  ] as const) {
    const shader = must(gl.createShader(type), 'shader');
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS))
      throw new Error(`scatter shader failed to compile: ${gl.getShaderInfoLog(shader) ?? ''}`);
    gl.attachShader(program, shader);
    gl.deleteShader(shader); // flagged; freed with the program
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS))
    throw new Error(`scatter program failed to link: ${gl.getProgramInfoLog(program) ?? ''}`);
  return program;
}

function must<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`WebGL2 could not create a ${what} (context lost?)`);
  return value;
}
