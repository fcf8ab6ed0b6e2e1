package dev.toolrun.adapter.http.connection;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.ConnectionPolicy;
import dev.toolrun.adapter.http.error.ConnectionAnswers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The server's connection handler: on every new connection, before its first byte is read, it puts
 * the {@link StrictRequestDecoder} in place of Vert.x's decoder, counts the connection against the
 * policy's limits and starts its {@link Deadlines}.
 *
 * <p>Vert.x offers no public way into a connection's pipeline, so this reaches it through {@link
 * ConnectionBase#channel()}, the one cast of Vert.x internals in toolrun; the handler names it
 * relies on ({@code httpDecoder}, {@code handler}) are checked on every connection, so a Vert.x
 * upgrade that changes them fails the first test that connects, not silently. The server must run
 * HTTP/1.x only (no h2c): an HTTP/2 connection has other framing and would escape these bounds, and
 * Vert.x calls this handler for an h2c-capable connection only after its first request arrived,
 * which is too late for a header deadline.
 */
public final class ConnectionGuard implements Handler<HttpConnection> {
  private static final Logger LOG = System.getLogger(ConnectionGuard.class.getName());
  private static final String DECODER = "httpDecoder";
  private static final String VERTX_HANDLER = "handler";

  private final ConnectionPolicy policy;
  private final HttpServerOptions options;
  private final ConnectionCount count;
  private final MeterRegistry registry;

  /**
   * A guard for a server with {@code options}, whose decoder settings (line and header limits) the
   * strict decoder keeps.
   */
  public ConnectionGuard(ConnectionPolicy policy, HttpServerOptions options) {
    this(policy, options, new CompositeMeterRegistry());
  }

  /**
   * A guard that counts the connections it closes on {@code registry}, by reason ({@code
   * toolrun.http.connections.closed}).
   */
  public ConnectionGuard(
      ConnectionPolicy policy, HttpServerOptions options, MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
    this.policy = requireNonNull(policy, "policy is null");
    this.options = requireNonNull(options, "options is null");
    if (options.isHttp2ClearTextEnabled()) {
      throw new IllegalArgumentException("the guarded server must not accept h2c");
    }
    this.count = new ConnectionCount(policy.maxConnections(), policy.maxConnectionsPerClient());
  }

  @Override
  public void handle(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)
        || !(base.channel().pipeline().get(DECODER) instanceof VertxHttpRequestDecoder)
        || base.channel().pipeline().get(VERTX_HANDLER) == null) {
      // Not the HTTP/1.x pipeline this was written against: refuse to serve it unguarded.
      LOG.log(
          Level.ERROR, "closing a connection whose pipeline cannot be guarded: {0}", connection);
      connection.close();
      return;
    }
    Channel channel = base.channel();
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options));
    Deadlines deadlines = new Deadlines(channel, policy, this::closed);
    pipeline.addBefore(DECODER, "toolrunBytes", deadlines.bytes());
    pipeline.addBefore(VERTX_HANDLER, "toolrunMessages", deadlines.messages());
    String client = client(connection.remoteAddress());
    switch (count.admit(client)) {
      case ADMITTED -> {
        channel.closeFuture().addListener(closed -> count.release(client));
        deadlines.start();
      }
      case SERVER_FULL ->
          deadlines.refuse(ConnectionAnswers.serverFull(policy.maxConnections()), "server_full");
      case CLIENT_FULL ->
          deadlines.refuse(
              ConnectionAnswers.clientFull(policy.maxConnectionsPerClient()), "client_full");
    }
  }

  private void closed(String reason) {
    Counter.builder("toolrun.http.connections.closed")
        .description(
            "Connections the server closed for a deadline (headers, body, idle), a cap, or a"
                + " request it could not parse (ambiguous framing, malformed)")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  // The client's IP address; a Unix socket has none, and all its clients count as one.
  private static String client(SocketAddress address) {
    return address == null || address.hostAddress() == null ? "" : address.hostAddress();
  }
}
