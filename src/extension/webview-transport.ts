import type * as vscode from 'vscode';
import type { Envelope, Transport } from '../protocol/endpoint';

/** A Transport over a webview's postMessage. VS Code copies ArrayBuffers across, so there is no transfer list. */
export function webviewTransport(webview: vscode.Webview): Transport {
  return {
    post: (message: Envelope) => void webview.postMessage(message),
    listen(listener) {
      const subscription = webview.onDidReceiveMessage(listener);
      return () => subscription.dispose();
    },
  };
}
