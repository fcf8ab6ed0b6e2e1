package dev.toolrun.adapter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpServerMeters} against Vert.x Micrometer's own HTTP server metrics, set up as toolrun
 * set them up before (method, route and code labels, only the HTTP server domain): the same
 * requests must give the same exposition, every series and every count, only times aside.
 */
class HttpServerMetersTest {

  @Test
  void exposesWhatVertxMicrometerExposesForTheSameRequests() throws Exception {
    String vertxOwn = exposition(HttpServerMetersTest::vertxMicrometer);
    String ours = exposition(HttpServerMetersTest::toolrunMeters);

    assertThat(comparable(ours)).isEqualTo(comparable(vertxOwn));
    assertThat(ours)
        .contains(
            "vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/items/:id\"}"
                + " 3.0")
        .contains("vertx_http_server_requests_total{code=\"404\",method=\"GET\",route=\"\"} 1.0")
        .contains(
            "vertx_http_server_requests_total{code=\"201\",method=\"POST\",route=\"/sub/>/made\"}"
                + " 1.0")
        .contains("vertx_http_server_response_time_seconds_bucket{code=\"200\"");
  }

  /**
   * Vert.x Micrometer's own metrics as MetricsAdapter set them up before, on the adapter's registry
   * (its histogram filter included).
   */
  private static Vertx vertxMicrometer(MetricsAdapter adapter) {
    MicrometerMetricsOptions options =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(false)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_ROUTE, Label.HTTP_CODE));
    for (MetricsDomain domain : MetricsDomain.values()) {
      if (domain != MetricsDomain.HTTP_SERVER) {
        options.addDisabledMetricsCategory(domain);
      }
    }
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory((PrometheusMeterRegistry) adapter.registry()))
        .build();
  }

  private static Vertx toolrunMeters(MetricsAdapter adapter) {
    return adapter.newVertx(new VertxOptions());
  }

  // The same server and requests on a Vert.x made by {@code vertxOf}.
  private static String exposition(Function<MetricsAdapter, Vertx> vertxOf) throws Exception {
    MetricsAdapter adapter = MetricsAdapter.create(MetricsConfig.DEFAULT);
    Vertx vertx = vertxOf.apply(adapter);
    Vertx clientSide = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      router.get("/items/:id").handler(rc -> rc.response().end("item " + rc.pathParam("id")));
      Router sub = Router.router(vertx);
      sub.post("/made")
          .handler(
              rc -> rc.request().body().onSuccess(b -> rc.response().setStatusCode(201).end()));
      router.route("/sub/*").subRouter(sub);
      HttpServer server =
          vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
      HttpClient client = clientSide.createHttpClient();
      for (String path : List.of("/items/1", "/items/22", "/items/333", "/nothing")) {
        send(client, server.actualPort(), HttpMethod.GET, path, "");
      }
      send(client, server.actualPort(), HttpMethod.POST, "/sub/made", "a body");
      client.close().await();
      // The server ends a response's metrics once it is written, maybe after the client has it.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  adapter.scrape().contains("route=\"/sub/>/made\"")
                      && adapter
                          .scrape()
                          .contains("vertx_http_server_active_requests{method=\"POST\"} 0.0"));
      return adapter.scrape();
    } finally {
      clientSide.close().await();
      vertx.close().await();
    }
  }

  private static void send(HttpClient client, int port, HttpMethod method, String path, String body)
      throws Exception {
    client
        .request(method, port, "127.0.0.1", path)
        .compose(request -> request.send(body).compose(HttpClientResponse::body))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  // Every line but those whose value is a time (sums, maxima and buckets of the response time),
  // which differ from run to run, and the open connections, which the client may not have closed
  // yet.
  private static String comparable(String exposition) {
    return exposition
        .lines()
        .filter(line -> !line.startsWith("vertx_http_server_response_time_seconds_sum"))
        .filter(line -> !line.startsWith("vertx_http_server_response_time_seconds_max"))
        .filter(line -> !line.startsWith("vertx_http_server_response_time_seconds_bucket"))
        .filter(line -> !line.startsWith("vertx_http_server_active_connections"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }
}
