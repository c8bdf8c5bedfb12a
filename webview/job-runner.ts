import type { Endpoint } from '../src/protocol/endpoint';
import type { HostPanelSide, WebviewPanelSide } from '../src/protocol/panel';

/** What a running job reports. */
export interface JobEvents {
  onProgress(message: string, fraction: number | undefined): void;
  /** A partial layout (projections only): `rows` comes with the first step (the points do not change after it). */
  onStep?(epoch: number, epochs: number, coords: Float32Array, rows: Int32Array | undefined): void;
}

/** Tickets are unique within this page (every runner draws from here); the host maps them to worker jobs. */
let nextTicket = 1;

/**
 * Runs one host job at a time under a fresh ticket: a new run cancels the one before, its progress and partial
 * layouts reach the run's events, and late events of a cancelled run are dropped.
 */
export class JobRunner {
  private ticket = 0;
  private readonly stops: (() => void)[];
  private events: JobEvents | undefined;

  constructor(private readonly rpc: Endpoint<WebviewPanelSide, HostPanelSide>) {
    this.stops = [
      rpc.on('panel/step', ({ ticket, epoch, epochs, coords, rows }) => {
        if (ticket === this.ticket) this.events?.onStep?.(epoch, epochs, new Float32Array(coords), rows ? new Int32Array(rows) : undefined);
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

  /**
   * Starts a job with `start(ticket)`; resolves with its result, or rejects (code 'cancelled' when stopped,
   * 'superseded' when a newer run replaced it).
   */
  async run<T>(start: (ticket: number) => Promise<T>, events: JobEvents): Promise<T> {
    this.cancel();
    const ticket = nextTicket++;
    this.ticket = ticket;
    this.events = events;
    try {
      const result = await start(ticket);
      if (this.ticket !== ticket) throw Object.assign(new Error('a newer run replaced this one'), { code: 'superseded' });
      return result;
    } finally {
      if (this.ticket === ticket) {
        this.ticket = 0;
        this.events = undefined;
      }
    }
  }

  /** Stops the running job, if any. */
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
