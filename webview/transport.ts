import type { Envelope, Transport } from '../src/protocol/endpoint';

/** A Transport over the webview's postMessage to the extension host. */
export function hostTransport(api: { postMessage(message: unknown): void }): Transport {
  return {
    post: (message: Envelope) => api.postMessage(message),
    listen(listener) {
      const onMessage = (event: MessageEvent): void => listener(event.data);
      window.addEventListener('message', onMessage);
      return () => window.removeEventListener('message', onMessage);
    },
  };
}
