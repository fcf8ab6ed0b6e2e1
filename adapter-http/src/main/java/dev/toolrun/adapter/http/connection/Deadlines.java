package dev.toolrun.adapter.http.connection;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.ConnectionPolicy;
import dev.toolrun.adapter.http.error.ConnectionAnswers;
import dev.toolrun.adapter.http.error.ProblemException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The deadlines of one connection. At any moment the connection is in one phase, and only the
 * phases in which the server waits for the client have a deadline:
 *
 * <pre>
 *   HEADERS --(headers complete)--> BODY --(body complete)--> SERVING --(response sent)--> IDLE
 *      ^                                                                                     |
 *      +------------------------------(first byte of the next request)-----------------------+
 * </pre>
 *
 * <p>A new connection starts in {@code HEADERS}. {@code SERVING} has no deadline at all: a service
 * request may wait long for its answer, and an event stream is a response that does not end. A
 * request that arrives while an earlier response is still being sent (pipelining) waits with it,
 * without a deadline, until that response is sent.
 *
 * <p>It watches the connection from two places of the pipeline: {@link #bytes()} before the decoder
 * sees the raw bytes (to tell when a request begins), {@link #messages()} after it sees the decoded
 * requests and the responses going out. Both run on the connection's event loop, as do the timers,
 * so the state needs no locks.
 *
 * <p>When a deadline passes while the client still owes part of a request, the client is told with
 * a 408 in the JSON error shape, unless a response is already on its way; an idle connection, or a
 * new one on which nothing came, is closed without a word, as clients expect of an idle connection.
 * Either way the connection then reads and discards what still comes, for a moment, before it
 * closes: closing a socket with unread input makes the kernel reset it, which can destroy the
 * answer before the client reads it.
 */
final class Deadlines {
  private static final Logger LOG = System.getLogger(Deadlines.class.getName());
  private static final Duration LINGER = Duration.ofSeconds(1);

  private enum Phase {
    HEADERS,
    BODY,
    SERVING,
    IDLE
  }

  private final Channel channel;
  private final ConnectionPolicy policy;
  private final Consumer<String> closings;
  private final BytesHandler bytes = new BytesHandler();
  private final MessagesHandler messages = new MessagesHandler();

  // Requests whose headers were decoded, whose bodies were received, and responses begun and sent.
  private long headersReceived;
  private long bodiesReceived;
  private long responsesBegun;
  private long responsesSent;
  // Whether bytes of a request whose headers are not yet decoded have arrived.
  private boolean requestBegun;
  private Phase phase;
  private long phaseRequest = -1;
  private ScheduledFuture<?> timer;
  private boolean closing;

  /**
   * @param closings told why, each time this closes the connection or sees it closed for a request
   *     that could not be parsed: {@code headers_timeout}, {@code body_timeout}, {@code
   *     idle_timeout}, {@code ambiguous_framing}, {@code malformed_request}, or the {@code reason}
   *     given to {@link #refuse}
   */
  Deadlines(Channel channel, ConnectionPolicy policy, Consumer<String> closings) {
    this.channel = requireNonNull(channel, "channel is null");
    this.policy = requireNonNull(policy, "policy is null");
    this.closings = requireNonNull(closings, "closings is null");
  }

  /** The handler to put before the decoder. */
  ChannelHandler bytes() {
    return bytes;
  }

  /** The handler to put after the decoder, next to Vert.x's own. */
  ChannelHandler messages() {
    return messages;
  }

  /** Starts the deadline of the connection's first request; call once it is admitted. */
  void start() {
    update();
  }

  /** Answers {@code answer} at once, then closes: the connection was not admitted. */
  void refuse(byte[] answer, String reason) {
    closings.accept(reason);
    answerAndClose(answer, "refused a connection over the connection limit");
  }

  private void update() {
    if (closing) {
      return;
    }
    Phase next;
    long request;
    if (headersReceived > bodiesReceived) {
      // The body of request number bodiesReceived is on its way. Its deadline runs unless an
      // earlier response is still being sent: a pipelined request waits with that one.
      next = bodiesReceived <= responsesSent ? Phase.BODY : Phase.SERVING;
      request = bodiesReceived;
    } else if (responsesSent < headersReceived) {
      next = Phase.SERVING;
      request = responsesSent;
    } else {
      next = headersReceived == 0 || requestBegun ? Phase.HEADERS : Phase.IDLE;
      request = headersReceived;
    }
    if (next == phase && request == phaseRequest) {
      return;
    }
    cancelTimer();
    phase = next;
    phaseRequest = request;
    Duration deadline =
        switch (next) {
          case HEADERS -> policy.headerTimeout();
          case BODY -> policy.bodyTimeout();
          case IDLE -> policy.idleTimeout();
          case SERVING -> null;
        };
    if (deadline != null) {
      timer =
          channel
              .eventLoop()
              .schedule(() -> expire(next, request), deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void expire(Phase expired, long request) {
    if (closing || expired != phase || request != phaseRequest) {
      return;
    }
    closings.accept(expired.name().toLowerCase(Locale.ROOT) + "_timeout");
    switch (expired) {
      case HEADERS -> {
        if (requestBegun && canAnswer(request)) {
          answerAndClose(
              ConnectionAnswers.requestTimeout("headers", policy.headerTimeout().toMillis()),
              "closed a connection whose request headers did not arrive in time");
        } else {
          closeQuietly("closed a connection on which no request came in time");
        }
      }
      case BODY -> {
        if (canAnswer(request)) {
          answerAndClose(
              ConnectionAnswers.requestTimeout("body", policy.bodyTimeout().toMillis()),
              "closed a connection whose request body did not arrive in time");
        } else {
          closeQuietly("closed a connection whose request body did not arrive in time");
        }
      }
      case IDLE -> closeQuietly("closed an idle connection");
      case SERVING -> throw new IllegalStateException("serving has no deadline");
    }
  }

  // Whether the next answer on the wire is the one to request number {@code request}: every
  // earlier response was sent whole, and none for this one has begun.
  private boolean canAnswer(long request) {
    return responsesBegun == responsesSent && responsesSent == request;
  }

  private void answerAndClose(byte[] answer, String why) {
    LOG.log(Level.DEBUG, "{0}: {1}", why, channel.remoteAddress());
    closing = true;
    cancelTimer();
    // Written from before the decoder and encoder, so it goes out as it is, whatever state the
    // codec is in.
    bytes
        .context()
        .writeAndFlush(Unpooled.wrappedBuffer(answer))
        .addListener(
            written ->
                channel
                    .eventLoop()
                    .schedule(() -> channel.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS));
  }

  private void closeQuietly(String why) {
    LOG.log(Level.DEBUG, "{0}: {1}", why, channel.remoteAddress());
    closing = true;
    cancelTimer();
    channel.close();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  // Why a request the codec could not parse closes its connection: the strict decoder's refusal of
  // an ambiguous length (a smuggling attempt, or a proxy that disagrees), or any other.
  private static String refusal(Throwable cause) {
    return cause instanceof ProblemException ? "ambiguous_framing" : "malformed_request";
  }

  /** Sees the raw bytes: a byte that comes when no body is owed begins the next request. */
  private final class BytesHandler extends ChannelInboundHandlerAdapter {
    private ChannelHandlerContext context;

    ChannelHandlerContext context() {
      return context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (closing) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (!requestBegun && headersReceived == bodiesReceived) {
        requestBegun = true;
        update();
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closing = true;
      cancelTimer();
      ctx.fireChannelInactive();
    }
  }

  /** Sees the decoded requests coming in and the responses going out. */
  private final class MessagesHandler extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        headersReceived++;
        requestBegun = false;
        if (request.decoderResult().isFailure()) {
          // Answered by UnparsableRequests on a connection it closes: what follows on it cannot
          // be trusted.
          closings.accept(refusal(request.decoderResult().cause()));
        }
      }
      if (msg instanceof LastHttpContent) {
        bodiesReceived++;
      }
      update();
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (closing) {
        // The connection is being closed with an answer of its own; nothing may follow it.
        ReferenceCountUtil.release(msg);
        promise.tryFailure(new ClosedChannelException());
        return;
      }
      boolean informational =
          msg instanceof HttpResponse response
              && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (!informational) {
        if (msg instanceof HttpResponse) {
          responsesBegun++;
        }
        if (msg instanceof LastHttpContent) {
          responsesSent++;
          update();
        }
      }
      ctx.write(msg, promise);
    }
  }
}
