package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

/**
 * The code behind one operation.
 *
 * @param blocking whether the handler may block (it calls a use case, which may do I/O) and so runs
 *     on a worker thread; otherwise it runs on the event loop
 */
record Endpoint(Handler handler, boolean blocking) {
  Endpoint {
    requireNonNull(handler, "handler is null");
  }

  /** An endpoint that calls use cases and so runs off the event loop. */
  static Endpoint blocking(Handler handler) {
    return new Endpoint(handler, true);
  }

  /** An endpoint that only computes its answer and may run on the event loop. */
  static Endpoint immediate(Handler handler) {
    return new Endpoint(handler, false);
  }

  /** Turns a validated request into the reply to send; failures are thrown. */
  @FunctionalInterface
  interface Handler {
    Reply handle(ApiRequest request);
  }
}
