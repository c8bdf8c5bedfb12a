/** The shape every channel side declares: requests it serves and events it emits. */
export interface ChannelSide {
  requests: Record<string, { params: unknown; result: unknown }>;
  events: Record<string, unknown>;
}

/** An error carried across a channel: a stable code and a one-line message. */
export interface WireError {
  readonly code: string;
  readonly message: string;
}

/** The envelope on the wire. Binary fields are exact-size ArrayBuffers named in the channel's types. */
export type Envelope =
  | { readonly kind: 'req'; readonly id: number; readonly method: string; readonly params: unknown }
  | { readonly kind: 'res'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: 'res'; readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly kind: 'evt'; readonly method: string; readonly params: unknown };

/** Anything that moves envelopes: a worker port, a webview's postMessage. */
export interface Transport {
  post(message: Envelope, transfer?: ArrayBuffer[]): void;
  /** Subscribes to incoming messages; returns the unsubscribe function. */
  listen(listener: (message: unknown) => void): () => void;
}

/** A request that failed on the other side, or was abandoned. */
export class RemoteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Handler<P, R> = (params: P) => R | Promise<R>;

/**
 * One typed RPC endpoint over any transport. `Local` is what this side serves and emits, `Remote` what the
 * other side serves and emits. Requests always settle: a throwing handler becomes an error reply, and
 * `dispose` (or `failAll`, when the peer dies) rejects everything pending.
 */
export class Endpoint<Local extends ChannelSide, Remote extends ChannelSide> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly handlers = new Map<
    string,
    { serve: Handler<unknown, unknown>; transferOf: ((result: unknown) => ArrayBuffer[]) | undefined }
  >();
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();
  private readonly unsubscribe: () => void;
  private disposed = false;

  constructor(private readonly transport: Transport) {
    this.unsubscribe = transport.listen((message) => this.receive(message));
  }

  /** Calls a method the other side serves. */
  request<M extends keyof Remote['requests'] & string>(
    method: M,
    params: Remote['requests'][M]['params'],
    transfer?: ArrayBuffer[],
  ): Promise<Remote['requests'][M]['result']> {
    if (this.disposed) return Promise.reject(new RemoteError('disposed', `${method}: the channel is closed`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.transport.post({ kind: 'req', id, method, params }, transfer);
    });
  }

  /**
   * Serves a method; the handler's result (or error) is sent back. `transferOf` names the result's buffers to
   * transfer rather than copy (they are emptied on this side).
   */
  handle<M extends keyof Local['requests'] & string>(
    method: M,
    handler: Handler<Local['requests'][M]['params'], Local['requests'][M]['result']>,
    transferOf?: (result: Local['requests'][M]['result']) => ArrayBuffer[],
  ): void {
    this.handlers.set(method, {
      serve: handler as Handler<unknown, unknown>,
      transferOf: transferOf as ((result: unknown) => ArrayBuffer[]) | undefined,
    });
  }

  /** Sends an event to the other side. */
  emit<M extends keyof Local['events'] & string>(method: M, params: Local['events'][M], transfer?: ArrayBuffer[]): void {
    if (!this.disposed) this.transport.post({ kind: 'evt', method, params }, transfer);
  }

  /** Listens to an event from the other side; returns the unsubscribe function. */
  on<M extends keyof Remote['events'] & string>(method: M, listener: (params: Remote['events'][M]) => void): () => void {
    const set = this.listeners.get(method) ?? new Set();
    set.add(listener as (params: unknown) => void);
    this.listeners.set(method, set);
    return () => set.delete(listener as (params: unknown) => void);
  }

  /** Rejects every pending request, e.g. when the worker exited. */
  failAll(error: RemoteError): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unsubscribe();
    this.failAll(new RemoteError('disposed', 'the channel was closed before the reply came'));
  }

  private receive(message: unknown): void {
    if (!isEnvelope(message)) return; // foreign messages (other extensions' tooling) are ignored
    if (message.kind === 'res') {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new RemoteError(message.error.code, message.error.message));
    } else if (message.kind === 'evt') {
      for (const listener of this.listeners.get(message.method) ?? []) listener(message.params);
    } else {
      void this.serve(message.id, message.method, message.params);
    }
  }

  private async serve(id: number, method: string, params: unknown): Promise<void> {
    const handler = this.handlers.get(method);
    try {
      if (!handler) throw new RemoteError('no-handler', `no handler for ${method}`);
      const result = await handler.serve(params);
      if (!this.disposed) this.transport.post({ kind: 'res', id, ok: true, result }, handler.transferOf?.(result));
    } catch (error) {
      const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'internal';
      const text = error instanceof Error ? error.message : String(error);
      if (!this.disposed) this.transport.post({ kind: 'res', id, ok: false, error: { code, message: text } });
    }
  }
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'req' || kind === 'res' || kind === 'evt';
}
