import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import { portTransport } from '../node/worker-transport';
import { Endpoint, RemoteError } from '../protocol/endpoint';
import type { HostSide, WorkerSide } from '../protocol/worker';

/**
 * The one long-lived compute worker (tfjs-node cannot run in a second worker_threads worker, and one worker keeps
 * loaded matrices warm). Started on first use; if it dies, pending requests reject and the next use restarts it.
 */
export class ComputeWorker implements vscode.Disposable {
  private running: { worker: Worker; rpc: Endpoint<HostSide, WorkerSide> } | undefined;

  constructor(
    private readonly scriptPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The typed endpoint to the worker, starting it if needed. */
  get rpc(): Endpoint<HostSide, WorkerSide> {
    if (!this.running) {
      const worker = new Worker(this.scriptPath);
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

  dispose(): void {
    const running = this.running;
    this.running = undefined;
    running?.rpc.dispose();
    void running?.worker.terminate();
  }
}
