package dev.toolrun.adapter.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server's meters, the same ones Vert.x Micrometer's own server metrics keep (names,
 * labels {@code method}, {@code route} and {@code code}, descriptions, meter types), found in maps
 * of their own instead of the registry.
 *
 * <p>Vert.x's implementation builds the tags of every request and response anew and looks each of
 * its five meters up in the registry by them: that was about a tenth of the CPU of a {@code GET} of
 * an instance (docs/benchmarks.md, figure 13). Here a meter is registered once, the first time its
 * method, route and status are seen, and kept; the registry, its filters (the response-time
 * histogram's buckets) and what {@code /metrics} shows are unchanged. Label values are as bounded
 * as before: methods, route templates and status codes.
 */
final class HttpServerMeters
    implements HttpServerMetrics<HttpServerMeters.Request, LongAdder, HttpServerMeters.Connection> {
  private static final String METHOD = Label.HTTP_METHOD.toString();
  private static final String ROUTE = Label.HTTP_ROUTE.toString();
  private static final String CODE = Label.HTTP_CODE.toString();

  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final ConcurrentMap<HttpMethod, MethodMeters> byMethod = new ConcurrentHashMap<>();
  private final ConcurrentMap<ResponseKey, ResponseMeters> byResponse = new ConcurrentHashMap<>();
  private final Connection connection;
  private volatile LongAdder webSockets;

  HttpServerMeters(MeterRegistry registry, MetricsNaming naming) {
    this.registry = requireNonNull(registry, "registry is null");
    this.names = naming.withBaseName(MetricsDomain.HTTP_SERVER.getPrefix());
    this.connection =
        new Connection(
            gauge(
                names.getNetActiveConnections(),
                "Number of opened connections to the server",
                Tags.empty()),
            Counter.builder(names.getNetBytesRead())
                .description("Number of bytes received by the server")
                .register(registry),
            Counter.builder(names.getNetBytesWritten())
                .description("Number of bytes sent by the server")
                .register(registry));
  }

  @Override
  public Connection connected(SocketAddress remoteAddress, String remoteName) {
    connection.open.increment();
    return connection;
  }

  @Override
  public void disconnected(Connection socket, SocketAddress remoteAddress) {
    socket.open.decrement();
  }

  @Override
  public void bytesRead(Connection socket, SocketAddress remoteAddress, long numberOfBytes) {
    socket.bytesRead.increment(numberOfBytes);
  }

  @Override
  public void bytesWritten(Connection socket, SocketAddress remoteAddress, long numberOfBytes) {
    socket.bytesWritten.increment(numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Connection socket, SocketAddress remoteAddress, Throwable t) {
    // Registered at the first error, as by Vert.x; errors are rare enough to be looked up.
    Counter.builder(names.getNetErrorCount())
        .description("Number of errors")
        .register(registry)
        .increment();
  }

  @Override
  public Request requestBegin(Connection socket, HttpRequest request) {
    return begin(request.method());
  }

  @Override
  public Request responsePushed(
      Connection socket, HttpMethod method, String uri, HttpResponse response) {
    return begin(method);
  }

  private Request begin(HttpMethod method) {
    MethodMeters meters = byMethod.computeIfAbsent(method, this::methodMeters);
    meters.active.increment();
    return new Request(meters, System.nanoTime());
  }

  @Override
  public void requestEnd(Request request, HttpRequest ignored, long bytesRead) {
    request.method.requestBytes.record(bytesRead);
    if (request.requestEnded()) {
      request.method.active.decrement();
    }
  }

  @Override
  public void requestReset(Request request) {
    // Registered at the first reset, as by Vert.x; resets are rare enough to be looked up.
    Counter.builder(names.getHttpRequestResetsCount())
        .description("Number of request resets")
        .tags(request.method.tags)
        .register(registry)
        .increment();
    request.method.active.decrement();
    request.reset = true;
  }

  @Override
  public void requestRouted(Request request, String route) {
    request.addRoute(route);
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    ResponseMeters meters =
        byResponse.computeIfAbsent(
            new ResponseKey(request.method.method, request.route(), response.statusCode()),
            this::responseMeters);
    meters.requests.increment();
    meters.time.record(System.nanoTime() - request.startNanos, TimeUnit.NANOSECONDS);
    meters.bytes.record(bytesWritten);
    if (request.responseEnded()) {
      request.method.active.decrement();
    }
  }

  @Override
  public LongAdder connected(Connection socket, Request request, ServerWebSocket webSocket) {
    LongAdder open = webSockets;
    if (open == null) {
      synchronized (this) {
        if (webSockets == null) {
          webSockets =
              gauge(
                  names.getHttpActiveWsConnections(),
                  "Number of websockets currently opened",
                  Tags.empty());
        }
        open = webSockets;
      }
    }
    open.increment();
    return open;
  }

  @Override
  public void disconnected(LongAdder webSocket) {
    webSocket.decrement();
  }

  private MethodMeters methodMeters(HttpMethod method) {
    Tags tags = Tags.of(METHOD, method.toString());
    return new MethodMeters(
        method,
        tags,
        gauge(names.getHttpActiveRequests(), "Number of requests being processed", tags),
        DistributionSummary.builder(names.getHttpRequestBytes())
            .description("Size of requests in bytes")
            .tags(tags)
            .register(registry));
  }

  private ResponseMeters responseMeters(ResponseKey key) {
    Tags tags =
        Tags.of(
            METHOD,
            key.method().toString(),
            ROUTE,
            key.route(),
            CODE,
            Integer.toString(key.code()));
    return new ResponseMeters(
        Counter.builder(names.getHttpRequestsCount())
            .description("Number of processed requests")
            .tags(tags)
            .register(registry),
        Timer.builder(names.getHttpResponseTime())
            .description("Request processing time")
            .tags(tags)
            .register(registry),
        DistributionSummary.builder(names.getHttpResponseBytes())
            .description("Size of responses in bytes")
            .tags(tags)
            .register(registry));
  }

  private LongAdder gauge(String name, String description, Tags tags) {
    LongAdder value = new LongAdder();
    Gauge.builder(name, value, LongAdder::doubleValue)
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
    return value;
  }

  /** The meters of every connection: there are no per-connection labels. */
  record Connection(LongAdder open, Counter bytesRead, Counter bytesWritten) {}

  private record MethodMeters(
      HttpMethod method, Tags tags, LongAdder active, DistributionSummary requestBytes) {}

  private record ResponseKey(HttpMethod method, String route, int code) {}

  private record ResponseMeters(Counter requests, Timer time, DistributionSummary bytes) {}

  /**
   * One request in flight. Vert.x Web reports each router a request passes through (a sub-router
   * adds its own route); the label is their routes joined by {@code >}, as Vert.x's own metrics
   * write it, and empty when no route matched.
   */
  static final class Request {
    private final MethodMeters method;
    private final long startNanos;
    private String onlyRoute;
    private List<String> routes;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    private Request(MethodMeters method, long startNanos) {
      this.method = method;
      this.startNanos = startNanos;
    }

    private void addRoute(String route) {
      if (route == null) {
        return;
      }
      if (onlyRoute == null && routes == null) {
        onlyRoute = route;
        return;
      }
      if (routes == null) {
        routes = new ArrayList<>(List.of(onlyRoute));
      }
      routes.add(route);
    }

    private String route() {
      if (routes != null) {
        return String.join(">", routes);
      }
      return onlyRoute == null ? "" : onlyRoute;
    }

    // Whether the request is over for the active-requests gauge: both its request and response
    // ended, and it was not reset (a reset has taken it off already).
    private boolean requestEnded() {
      requestEnded = true;
      return !reset && responseEnded;
    }

    private boolean responseEnded() {
      responseEnded = true;
      return !reset && requestEnded;
    }
  }
}
