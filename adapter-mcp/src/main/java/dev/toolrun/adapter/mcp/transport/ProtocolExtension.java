package dev.toolrun.adapter.mcp.transport;

import static java.util.Objects.requireNonNull;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * What the server speaks beyond the SDK, at the one place that sees every message: the transport.
 *
 * <p>The SDK (2.1.0) has no way to add a request handler, and its records drop the fields it does
 * not know (a tool's {@code execution}, the server's {@code tasks} capability). So an extension
 * answers some requests itself, before the SDK's session sees them, and adds fields to some of the
 * SDK's results. Both are told the protocol revision the session negotiated, so that an older
 * client is served exactly as the SDK serves it.
 */
public interface ProtocolExtension {
  /** No extension: every request goes to the SDK, every result is left as it is. */
  ProtocolExtension NONE =
      new ProtocolExtension() {
        @Override
        public Optional<Answer> answer(
            String sessionId, String protocolVersion, McpSchema.JSONRPCRequest request) {
          return Optional.empty();
        }

        @Override
        public Object amend(String protocolVersion, String method, Object result) {
          return result;
        }
      };

  /**
   * The extension's answer to a request.
   *
   * @param result the JSON-RPC result, or an {@link io.modelcontextprotocol.spec.McpError}
   * @param streamed whether to answer as an event stream with keep-alive comments, for an answer
   *     that may take long; otherwise the answer is one JSON body
   */
  record Answer(Mono<Object> result, boolean streamed) {
    public Answer {
      requireNonNull(result, "result is null");
    }
  }

  /**
   * Answers {@code request} of the session {@code sessionId}, or empty to hand it to the SDK.
   *
   * @param protocolVersion the revision the session negotiated
   */
  Optional<Answer> answer(
      String sessionId, String protocolVersion, McpSchema.JSONRPCRequest request);

  /**
   * The SDK's {@code result} of a {@code method} request, with what the SDK's records cannot carry;
   * {@code result} itself when there is nothing to add. Called for {@code initialize} too.
   */
  Object amend(String protocolVersion, String method, Object result);
}
