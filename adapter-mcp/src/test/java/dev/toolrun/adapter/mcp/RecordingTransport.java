package dev.toolrun.adapter.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The SDK's client transport, unchanged, with a record of the requests it sent: the Java SDK's
 * client never sends {@code notifications/cancelled} itself, so a test that cancels needs the
 * request's JSON-RPC id and sends the notification over the same transport.
 */
public final class RecordingTransport implements McpClientTransport {
  private final McpClientTransport delegate;
  private final List<McpSchema.JSONRPCRequest> sent = new CopyOnWriteArrayList<>();

  public RecordingTransport(McpClientTransport delegate) {
    this.delegate = delegate;
  }

  /** The id of the last request sent for {@code method}, if any. */
  public Object lastRequestId(String method) {
    for (int i = sent.size() - 1; i >= 0; i--) {
      if (sent.get(i).method().equals(method)) {
        return sent.get(i).id();
      }
    }
    return null;
  }

  /** Sends {@code notifications/cancelled} for the request {@code requestId}. */
  public void cancel(Object requestId) {
    delegate
        .sendMessage(
            new McpSchema.JSONRPCNotification(
                McpSchema.JSONRPC_VERSION,
                "notifications/cancelled",
                Map.of("requestId", requestId, "reason", "the test cancels it")))
        .block();
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return delegate.connect(handler);
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCRequest request) {
      sent.add(request);
    }
    return delegate.sendMessage(message);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }
}
