package dev.toolrun.adapter.mcp.transport;

import static dev.toolrun.adapter.mcp.transport.StreamableHttp.ACCEPT_BOTH;
import static dev.toolrun.adapter.mcp.transport.StreamableHttp.APPLICATION_JSON;
import static dev.toolrun.adapter.mcp.transport.StreamableHttp.TEXT_EVENT_STREAM;
import static dev.toolrun.adapter.mcp.transport.StreamableHttp.atEndpoint;
import static dev.toolrun.adapter.mcp.transport.StreamableHttp.context;
import static dev.toolrun.adapter.mcp.transport.StreamableHttp.header;
import static dev.toolrun.adapter.mcp.transport.StreamableHttp.startEventStream;
import static java.util.Objects.requireNonNull;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The MCP Streamable HTTP transport on Vert.x Web: one endpoint that takes POSTed JSON-RPC
 * messages, opens a session's listening stream on GET and ends a session on DELETE.
 *
 * <p>It follows the SDK's {@code HttpServletStreamableServerTransportProvider} (2.1.0) step by
 * step, except that it never blocks: the servlet waits for each request's answer on its thread,
 * this transport subscribes and answers from the request's event loop when the answer comes. A
 * request is answered as an event stream that carries its progress notifications and then its
 * response. When the client of such a stream goes away, the stream is released and the request goes
 * on (a run is never cancelled by a disconnect).
 *
 * <p>Two additions. The SDK has no handler for {@code notifications/cancelled}, so this transport
 * hands that notification to a {@link CancellationListener} with the session and request id.
 * Handlers find both in their exchange's transport context under {@link #SESSION_ID} and {@link
 * #REQUEST_ID}. And a {@link ProtocolExtension} may answer requests the SDK does not know and add
 * fields to the SDK's results; it is told each session's negotiated protocol revision.
 *
 * <p>Its length (the SDK's servlet transport has 678 lines) follows the protocol's three verbs and
 * their session checks, kept side by side so that they can be read against the specification.
 */
public final class VertxStreamableServerTransportProvider
    implements McpStreamableServerTransportProvider {
  /** Transport-context key of the MCP session id. */
  public static final String SESSION_ID = "toolrun.mcp.sessionId";

  /** Transport-context key of the JSON-RPC id of the request being handled. */
  public static final String REQUEST_ID = "toolrun.mcp.requestId";

  static final String CANCELLED = "notifications/cancelled";
  private static final Logger LOG =
      System.getLogger(VertxStreamableServerTransportProvider.class.getName());
  private static final TypeRef<Map<String, Object>> RESULT = new TypeRef<>() {};
  private static final TypeRef<McpSchema.InitializeRequest> INITIALIZE =
      new TypeRef<McpSchema.InitializeRequest>() {};

  /** Told when a client cancels one of its requests. */
  @FunctionalInterface
  public interface CancellationListener {
    /** The client of {@code sessionId} cancelled its request {@code requestId}. */
    void cancelled(String sessionId, Object requestId);
  }

  private final McpJsonMapper json;
  private final CancellationListener cancellations;
  private final ProtocolExtension extension;
  private final Duration keepAlive;
  private final Map<String, McpStreamableServerSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, Long> lastSeenNanos = new ConcurrentHashMap<>();
  private final Map<String, String> negotiatedVersions = new ConcurrentHashMap<>();
  private volatile McpStreamableServerSession.Factory sessionFactory;
  private volatile boolean closing;

  /**
   * @param keepAlive how often an open event stream with nothing to send gets an SSE comment
   */
  public VertxStreamableServerTransportProvider(
      McpJsonMapper json,
      CancellationListener cancellations,
      ProtocolExtension extension,
      Duration keepAlive) {
    this.json = requireNonNull(json, "json is null");
    this.cancellations = requireNonNull(cancellations, "cancellations is null");
    this.extension = requireNonNull(extension, "extension is null");
    this.keepAlive = requireNonNull(keepAlive, "keepAlive is null");
    if (keepAlive.isNegative() || keepAlive.isZero()) {
      throw new IllegalArgumentException("keepAlive must be positive, was " + keepAlive);
    }
  }

  @Override
  public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
    this.sessionFactory = requireNonNull(sessionFactory, "sessionFactory is null");
  }

  @Override
  public List<String> protocolVersions() {
    return List.of(
        ProtocolVersions.MCP_2025_03_26,
        ProtocolVersions.MCP_2025_06_18,
        ProtocolVersions.MCP_2025_11_25);
  }

  /** How many sessions are open. */
  public int sessionCount() {
    return sessions.size();
  }

  /**
   * Ends the sessions that have no open stream and saw no request for longer than {@code idle}: a
   * client that went away without a DELETE leaves its session behind otherwise. Their runs go on.
   *
   * @return how many sessions were ended
   */
  public int evictIdle(Duration idle) {
    long now = System.nanoTime();
    int evicted = 0;
    for (McpStreamableServerSession session : List.copyOf(sessions.values())) {
      Long seen = lastSeenNanos.get(session.getId());
      boolean idleLongEnough = seen == null || now - seen >= idle.toNanos();
      if (idleLongEnough && !session.hasOpenStream() && sessions.remove(session.getId(), session)) {
        lastSeenNanos.remove(session.getId());
        negotiatedVersions.remove(session.getId());
        session.closeGracefully().onErrorResume(e -> Mono.empty()).subscribe();
        evicted++;
      }
    }
    return evicted;
  }

  private void touch(String sessionId) {
    lastSeenNanos.put(sessionId, System.nanoTime());
  }

  @Override
  public Mono<Void> notifyClients(String method, Object params) {
    return Flux.fromIterable(List.copyOf(sessions.values()))
        .flatMap(
            session ->
                session
                    .sendNotification(method, params)
                    .onErrorResume(
                        e -> {
                          LOG.log(
                              Level.DEBUG,
                              "could not notify session {0}: {1}",
                              session.getId(),
                              e.getMessage());
                          return Mono.empty();
                        }))
        .then();
  }

  @Override
  public Mono<Void> notifyClient(String sessionId, String method, Object params) {
    return Mono.defer(
        () -> {
          McpStreamableServerSession session = sessions.get(sessionId);
          return session == null ? Mono.empty() : session.sendNotification(method, params);
        });
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.defer(
        () -> {
          closing = true;
          List<McpStreamableServerSession> open = List.copyOf(sessions.values());
          sessions.clear();
          lastSeenNanos.clear();
          negotiatedVersions.clear();
          return Flux.fromIterable(open)
              .flatMap(session -> session.closeGracefully().onErrorResume(e -> Mono.empty()))
              .then();
        });
  }

  /** Handles a POST to the endpoint: a JSON-RPC request, notification or response. */
  public void post(RoutingContext rc) {
    if (!atEndpoint(rc) || refuseWhileClosing(rc)) {
      return;
    }
    String accept = header(rc, HttpHeaders.ACCEPT);
    boolean acceptsBoth = accept.contains(TEXT_EVENT_STREAM) && accept.contains(APPLICATION_JSON);
    if (!header(rc, HttpHeaders.CONTENT_TYPE).startsWith(APPLICATION_JSON)) {
      error(rc, 415, McpSchema.ErrorCodes.INVALID_REQUEST, "Content-Type must be application/json");
      return;
    }
    McpSchema.JSONRPCMessage message;
    try {
      Buffer bytes = rc.body().buffer();
      if (bytes == null || bytes.length() == 0) {
        throw new IOException("the body is empty");
      }
      String body = StrictBody.text(bytes.getBytes());
      if (body.isBlank()) {
        throw new IOException("the body is empty");
      }
      message = McpSchema.deserializeJsonRpcMessage(json, body);
    } catch (StrictBody.Refused e) {
      // Not JSON that every parser reads the same way: a parse error, as JSON-RPC names it.
      error(
          rc, 400, McpSchema.ErrorCodes.PARSE_ERROR, "invalid JSON-RPC message: " + e.getMessage());
      return;
    } catch (IOException | RuntimeException e) {
      error(
          rc, 400, McpSchema.ErrorCodes.PARSE_ERROR, "invalid JSON-RPC message: " + e.getMessage());
      return;
    }
    if (message instanceof McpSchema.JSONRPCRequest request
        && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
      if (!acceptsBoth) {
        error(rc, 400, McpSchema.ErrorCodes.INVALID_REQUEST, ACCEPT_BOTH);
        return;
      }
      initialize(rc, request);
      return;
    }
    String sessionId = header(rc, HttpHeaders.MCP_SESSION_ID);
    if (sessionId.isBlank()) {
      error(rc, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "an Mcp-Session-Id header is required");
      return;
    }
    if (!acceptsBoth) {
      error(rc, 400, McpSchema.ErrorCodes.INVALID_REQUEST, ACCEPT_BOTH);
      return;
    }
    if (refuseUnsupportedVersion(rc)) {
      return;
    }
    McpStreamableServerSession session = sessions.get(sessionId);
    if (session == null) {
      error(rc, 404, McpSchema.ErrorCodes.INVALID_REQUEST, "no such session: " + sessionId);
      return;
    }
    touch(sessionId);
    McpTransportContext base = McpTransportContext.create(Map.of(SESSION_ID, sessionId));
    if (message instanceof McpSchema.JSONRPCNotification notification) {
      if (CANCELLED.equals(notification.method())) {
        cancelled(sessionId, notification.params());
        rc.response().setStatusCode(202).end();
        return;
      }
      acknowledge(rc, session.accept(notification), base);
    } else if (message instanceof McpSchema.JSONRPCResponse response) {
      acknowledge(rc, session.accept(response), base);
    } else if (message instanceof McpSchema.JSONRPCRequest request) {
      answer(rc, session, request, sessionId);
    } else {
      error(rc, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "unknown message type");
    }
  }

  /** Handles a GET: opens the session's listening stream, for messages outside any request. */
  public void get(RoutingContext rc) {
    if (!atEndpoint(rc) || refuseWhileClosing(rc)) {
      return;
    }
    if (!header(rc, HttpHeaders.ACCEPT).contains(TEXT_EVENT_STREAM)) {
      error(rc, 405, McpSchema.ErrorCodes.INVALID_REQUEST, "GET opens an event stream only");
      return;
    }
    String sessionId = header(rc, HttpHeaders.MCP_SESSION_ID);
    if (sessionId.isBlank()) {
      error(rc, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "an Mcp-Session-Id header is required");
      return;
    }
    McpStreamableServerSession session = sessions.get(sessionId);
    if (session == null) {
      error(rc, 404, McpSchema.ErrorCodes.INVALID_REQUEST, "no such session: " + sessionId);
      return;
    }
    touch(sessionId);
    HttpServerResponse response = startEventStream(rc);
    SseStream stream = new SseStream(response, context(), json, sessionId);
    // The SDK keeps no history (its replay is empty), so a Last-Event-ID opens a new stream too.
    McpStreamableServerSession.McpStreamableServerSessionStream listening =
        session.listeningStream(stream);
    response.closeHandler(ignored -> listening.releaseTransport());
    stream.open(keepAlive);
  }

  /** Handles a DELETE: the client ends its session. */
  public void delete(RoutingContext rc) {
    if (!atEndpoint(rc) || refuseWhileClosing(rc)) {
      return;
    }
    String sessionId = header(rc, HttpHeaders.MCP_SESSION_ID);
    if (sessionId.isBlank()) {
      error(rc, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "an Mcp-Session-Id header is required");
      return;
    }
    McpStreamableServerSession session = sessions.remove(sessionId);
    lastSeenNanos.remove(sessionId);
    negotiatedVersions.remove(sessionId);
    if (session == null) {
      error(rc, 404, McpSchema.ErrorCodes.INVALID_REQUEST, "no such session: " + sessionId);
      return;
    }
    Context context = context();
    session
        .delete()
        .subscribe(
            null,
            e -> context.runOnContext(ignored -> rc.response().setStatusCode(200).end()),
            () -> context.runOnContext(ignored -> rc.response().setStatusCode(200).end()));
  }

  private void initialize(RoutingContext rc, McpSchema.JSONRPCRequest request) {
    McpStreamableServerSession.Factory factory = sessionFactory;
    if (factory == null) {
      error(rc, 503, McpSchema.ErrorCodes.INTERNAL_ERROR, "the MCP server is not ready");
      return;
    }
    McpSchema.InitializeRequest initialize;
    try {
      initialize = json.convertValue(request.params(), INITIALIZE);
    } catch (RuntimeException e) {
      error(rc, 400, McpSchema.ErrorCodes.INVALID_PARAMS, "invalid initialize request");
      return;
    }
    McpStreamableServerSession.McpStreamableServerSessionInit init =
        factory.startSession(initialize);
    String sessionId = init.session().getId();
    sessions.put(sessionId, init.session());
    touch(sessionId);
    Context context = context();
    init.initResult()
        .subscribe(
            result ->
                context.runOnContext(
                    ignored -> {
                      String body;
                      try {
                        negotiatedVersions.put(sessionId, result.protocolVersion());
                        body =
                            json.writeValueAsString(
                                McpSchema.JSONRPCResponse.result(
                                    request.id(),
                                    extension.amend(
                                        result.protocolVersion(),
                                        McpSchema.METHOD_INITIALIZE,
                                        result)));
                      } catch (IOException | RuntimeException e) {
                        sessions.remove(sessionId);
                        error(rc, 500, McpSchema.ErrorCodes.INTERNAL_ERROR, e.getMessage());
                        return;
                      }
                      rc.response()
                          .setStatusCode(200)
                          .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                          .putHeader(HttpHeaders.MCP_SESSION_ID, sessionId)
                          .end(body);
                    }),
            e ->
                context.runOnContext(
                    ignored -> {
                      sessions.remove(sessionId);
                      error(
                          rc,
                          500,
                          McpSchema.ErrorCodes.INTERNAL_ERROR,
                          "could not initialize the session: " + e.getMessage());
                    }));
  }

  private void answer(
      RoutingContext rc,
      McpStreamableServerSession session,
      McpSchema.JSONRPCRequest request,
      String sessionId) {
    String version = negotiatedVersions.getOrDefault(sessionId, ProtocolVersions.MCP_2025_03_26);
    Optional<ProtocolExtension.Answer> extended;
    try {
      extended = extension.answer(sessionId, version, request);
    } catch (RuntimeException e) {
      extended = Optional.of(new ProtocolExtension.Answer(Mono.error(e), false));
    }
    if (extended.isPresent()) {
      answerItself(rc, request, sessionId, extended.get());
      return;
    }
    HttpServerResponse response = startEventStream(rc);
    SseStream stream =
        new SseStream(
            response, context(), json, sessionId, message -> amended(version, request, message));
    McpStreamableServerSession.McpStreamableServerSessionStream answering =
        session.responseStream(stream);
    // The client went away: free the stream, but let the request run to its end.
    response.closeHandler(ignored -> answering.releaseTransport());
    stream.open(keepAlive);
    McpTransportContext context =
        McpTransportContext.create(Map.of(SESSION_ID, sessionId, REQUEST_ID, request.id()));
    answering
        .handle(request)
        .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
        .subscribe(
            null,
            e -> {
              LOG.log(Level.WARNING, "request {0} failed: {1}", request.id(), e.getMessage());
              stream.close();
            });
  }

  /**
   * The SDK's answer to {@code request}, with the extension's additions, and for {@code tools/list}
   * the page the request's cursor asks for ({@link ToolPages}).
   */
  private McpSchema.JSONRPCMessage amended(
      String version, McpSchema.JSONRPCRequest request, McpSchema.JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCResponse response
        && response.result() != null
        && request.id().equals(response.id())) {
      Object result = extension.amend(version, request.method(), response.result());
      if (McpSchema.METHOD_TOOLS_LIST.equals(request.method())) {
        try {
          result = ToolPages.page(json.convertValue(result, RESULT), request.params());
        } catch (ToolPages.InvalidCursorException e) {
          return McpSchema.JSONRPCResponse.error(
              response.id(),
              new McpSchema.JSONRPCResponse.JSONRPCError(
                  McpSchema.ErrorCodes.INVALID_PARAMS, e.getMessage(), null));
        }
      }
      return new McpSchema.JSONRPCResponse(response.jsonrpc(), response.id(), result, null);
    }
    return message;
  }

  /**
   * Answers a request the extension took: one JSON body, or an event stream with keep-alives for an
   * answer that may take long. A client that goes away stops the work, which only waits.
   */
  private void answerItself(
      RoutingContext rc,
      McpSchema.JSONRPCRequest request,
      String sessionId,
      ProtocolExtension.Answer answer) {
    Context context = context();
    Mono<McpSchema.JSONRPCResponse> response =
        answer
            .result()
            .map(result -> McpSchema.JSONRPCResponse.result(request.id(), result))
            .onErrorResume(e -> Mono.just(errorResponse(request, e)));
    if (answer.streamed()) {
      SseStream stream = new SseStream(startEventStream(rc), context, json, sessionId);
      stream.open(keepAlive);
      Disposable work =
          response
              .flatMap(message -> stream.sendMessage(message))
              .doFinally(signal -> stream.close())
              .subscribe(null, e -> LOG.log(Level.DEBUG, "request {0}: {1}", request.id(), e));
      rc.response().closeHandler(ignored -> work.dispose());
      return;
    }
    Disposable work =
        response.subscribe(
            message ->
                context.runOnContext(
                    ignored -> {
                      String body;
                      try {
                        body = json.writeValueAsString(message);
                      } catch (IOException e) {
                        error(rc, 500, McpSchema.ErrorCodes.INTERNAL_ERROR, e.getMessage());
                        return;
                      }
                      if (!rc.response().ended() && !rc.response().closed()) {
                        rc.response()
                            .setStatusCode(200)
                            .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                            .end(body);
                      }
                    }));
    rc.response().closeHandler(ignored -> work.dispose());
  }

  private static McpSchema.JSONRPCResponse errorResponse(
      McpSchema.JSONRPCRequest request, Throwable e) {
    McpSchema.JSONRPCResponse.JSONRPCError error =
        e instanceof McpError mcp && mcp.getJsonRpcError() != null
            ? mcp.getJsonRpcError()
            : new McpSchema.JSONRPCResponse.JSONRPCError(
                McpSchema.ErrorCodes.INTERNAL_ERROR,
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                null);
    if (!(e instanceof McpError)) {
      LOG.log(Level.WARNING, "request " + request.id() + " failed", e);
    }
    return new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), null, error);
  }

  private void acknowledge(RoutingContext rc, Mono<Void> handling, McpTransportContext context) {
    Context vertx = context();
    handling
        .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
        .subscribe(
            null,
            e ->
                vertx.runOnContext(
                    ignored -> error(rc, 500, McpSchema.ErrorCodes.INTERNAL_ERROR, e.getMessage())),
            () -> vertx.runOnContext(ignored -> rc.response().setStatusCode(202).end()));
  }

  private void cancelled(String sessionId, Object params) {
    if (params instanceof Map<?, ?> map && map.get("requestId") != null) {
      cancellations.cancelled(sessionId, map.get("requestId"));
    }
  }

  /** After initialization a client names its protocol revision; one this server lacks is a 400. */
  private boolean refuseUnsupportedVersion(RoutingContext rc) {
    String version = rc.request().getHeader(HttpHeaders.PROTOCOL_VERSION);
    if (version != null && !protocolVersions().contains(version.strip())) {
      error(
          rc,
          400,
          McpSchema.ErrorCodes.INVALID_REQUEST,
          "unsupported MCP-Protocol-Version " + version + "; supported: " + protocolVersions());
      return true;
    }
    return false;
  }

  private boolean refuseWhileClosing(RoutingContext rc) {
    if (closing) {
      error(rc, 503, McpSchema.ErrorCodes.INTERNAL_ERROR, "the server is shutting down");
      return true;
    }
    return false;
  }

  private void error(RoutingContext rc, int status, int code, String message) {
    StreamableHttp.error(json, rc, status, code, message);
  }
}
