package dev.toolrun.adapter.mcp.call;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The tool calls in progress, by session and JSON-RPC request id, so that a client's {@code
 * notifications/cancelled} finds the instance its request launched. A cancellation that arrives
 * before the launch returned is remembered and applied as soon as the instance is known.
 */
final class InFlightCalls {
  private final Map<String, Call> calls = new ConcurrentHashMap<>();
  private final Consumer<InstanceId> cancel;

  /** Calls whose cancellation runs {@code cancel} on their instance. */
  InFlightCalls(Consumer<InstanceId> cancel) {
    this.cancel = requireNonNull(cancel, "cancel is null");
  }

  /** Starts tracking the call; empty when the request has no id to be cancelled by. */
  Optional<Call> open(String sessionId, Object requestId) {
    if (sessionId == null || requestId == null) {
      return Optional.empty();
    }
    Call call = new Call(key(sessionId, requestId));
    calls.put(call.key, call);
    return Optional.of(call);
  }

  /** The client cancelled its request; does nothing for a request that is not in flight. */
  void cancelled(String sessionId, Object requestId) {
    Call call = calls.get(key(sessionId, requestId));
    if (call != null) {
      call.cancel().ifPresent(cancel);
    }
  }

  /** How many calls are in flight. */
  int size() {
    return calls.size();
  }

  private static String key(String sessionId, Object requestId) {
    return sessionId + " " + requestId;
  }

  /** One call in flight. */
  final class Call {
    private final String key;
    private InstanceId instance;
    private boolean cancelRequested;

    private Call(String key) {
      this.key = key;
    }

    /** The call's instance was launched; cancels it at once when the client already asked to. */
    void launched(InstanceId id) {
      requireNonNull(id, "id is null");
      boolean cancelNow;
      synchronized (this) {
        instance = id;
        cancelNow = cancelRequested;
      }
      if (cancelNow) {
        cancel.accept(id);
      }
    }

    private synchronized Optional<InstanceId> cancel() {
      cancelRequested = true;
      return Optional.ofNullable(instance);
    }

    /** The call ended: a later cancellation for it changes nothing. */
    void close() {
      calls.remove(key, this);
    }
  }
}
