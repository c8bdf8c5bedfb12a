import type { ProjectionRequest } from '../src/core/analysis/projection-types';
import type { Endpoint } from '../src/protocol/endpoint';
import type { Projection } from '../src/protocol/analysis';
import type { HostPanelSide, WebviewPanelSide } from '../src/protocol/panel';

/** What a running projection reports. */
export interface ProjectionEvents {
  /** A partial layout: `rows` comes with the first step (the points do not change after it). */
  onStep(epoch: number, epochs: number, coords: Float32Array, rows: Int32Array | undefined): void;
  onProgress(message: string, fraction: number | undefined): void;
}

/** Tickets are unique within this page; the host maps them to worker jobs. */
let nextTicket = 1;

/**
 * Runs one projection at a time through the host: a new run cancels the one before, and late events of a
 * cancelled run are dropped.
 */
export class ProjectionRunner {
  private ticket = 0;
  private readonly stops: (() => void)[];
  private events: ProjectionEvents | undefined;

  constructor(private readonly rpc: Endpoint<WebviewPanelSide, HostPanelSide>) {
    this.stops = [
      rpc.on('panel/step', ({ ticket, epoch, epochs, coords, rows }) => {
        if (ticket === this.ticket) this.events?.onStep(epoch, epochs, new Float32Array(coords), rows ? new Int32Array(rows) : undefined);
      }),
      rpc.on('panel/job', ({ ticket, message, fraction }) => {
        if (ticket === this.ticket) this.events?.onProgress(message, fraction);
      }),
    ];
  }

  /** Whether a run is under way. */
  get running(): boolean {
    return this.ticket !== 0;
  }

  /** Starts a projection; resolves with it, or rejects (code 'cancelled' when stopped, 'superseded' when replaced). */
  async run(request: ProjectionRequest, events: ProjectionEvents): Promise<Projection> {
    this.cancel();
    const ticket = nextTicket++;
    this.ticket = ticket;
    this.events = events;
    try {
      const result = await this.rpc.request('panel/project', { ticket, request });
      if (this.ticket !== ticket) throw Object.assign(new Error('a newer projection replaced this one'), { code: 'superseded' });
      return result;
    } finally {
      if (this.ticket === ticket) {
        this.ticket = 0;
        this.events = undefined;
      }
    }
  }

  /** Stops the running projection, if any. */
  cancel(): void {
    if (this.ticket === 0) return;
    const ticket = this.ticket;
    this.ticket = 0;
    this.events = undefined;
    void this.rpc.request('panel/cancel', { ticket }).catch(() => undefined);
  }

  dispose(): void {
    this.cancel();
    for (const stop of this.stops) stop();
  }
}
