import { Worker, type WorkerOptions } from 'node:worker_threads';
import { portTransport } from '../node/worker-transport';
import { Endpoint, RemoteError } from '../protocol/endpoint';
import type { BackendInfo, HostSide, WorkerSide } from '../protocol/worker';

/** Where the worker's troubles are reported (the extension's LogOutputChannel fits). */
export interface WorkerLog {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * The one long-lived compute worker (tfjs-node cannot run in a second worker_threads worker, and one worker keeps
 * loaded matrices warm). Started on first use; if it dies, pending requests reject and the next use restarts it.
 */
export class ComputeWorker {
  private running: { worker: Worker; rpc: Endpoint<HostSide, WorkerSide>; info?: Promise<BackendInfo> } | undefined;

  constructor(
    private readonly scriptPath: string,
    private readonly log: WorkerLog,
    private readonly options: WorkerOptions = {},
  ) {}

  /** The typed endpoint to the worker, starting it if needed. */
  get rpc(): Endpoint<HostSide, WorkerSide> {
    if (!this.running) {
      const worker = new Worker(this.scriptPath, this.options);
      const rpc = new Endpoint<HostSide, WorkerSide>(portTransport(worker));
      worker.on('error', (error) => this.log.error(`compute worker error: ${error.message}`));
      worker.on('exit', (code) => {
        this.log.warn(`compute worker exited with code ${code}`);
        rpc.failAll(new RemoteError('worker-exit', `the compute worker stopped (exit code ${code})`));
        rpc.dispose();
        if (this.running?.worker === worker) this.running = undefined;
      });
      this.running = { worker, rpc };
    }
    return this.running.rpc;
  }

  /** The running worker's backend (asked once per worker). */
  info(): Promise<BackendInfo> {
    const rpc = this.rpc;
    const running = this.running as NonNullable<typeof this.running>;
    running.info ??= rpc.request('worker/info', {});
    return running.info;
  }

  /** Stops the worker; pending requests reject. */
  dispose(): void {
    const running = this.running;
    this.running = undefined;
    running?.rpc.dispose();
    void running?.worker.terminate();
  }
}
