import type * as vscode from 'vscode';

/** Base for objects that own subscriptions: everything `register`ed is disposed with them, last first. */
export class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  protected disposed = false;

  /** Takes ownership of a disposable and returns it. */
  protected register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  /** Hands back a disposable registered earlier without disposing it (its work ended on its own). */
  protected unregister(disposable: vscode.Disposable): void {
    const at = this.owned.indexOf(disposable);
    if (at >= 0) this.owned.splice(at, 1);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const disposable of this.owned.splice(0).reverse()) disposable.dispose();
  }
}
