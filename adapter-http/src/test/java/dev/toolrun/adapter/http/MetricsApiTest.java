package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.TestApi.Response;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: what it serves, who may read it, and what the HTTP adapter counts itself. */
class MetricsApiTest {
  private static final String EXPOSITION =
      "# TYPE toolrun_sample_total counter\ntoolrun_sample_total 3\n";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  @Test
  void servesTheExpositionItIsGivenWithoutTheTokenByDefault() {
    HttpMetrics metrics =
        new HttpMetrics(new SimpleMeterRegistry(), CONTENT_TYPE, () -> EXPOSITION, false);
    try (TestApi api = TestApi.start(TestApi.Setup.defaults().withMetrics(metrics))) {
      Response r = api.get("/metrics", "Authorization", null);

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type")).contains(CONTENT_TYPE);
      assertThat(r.body()).isEqualTo(EXPOSITION);
    }
  }

  @Test
  void wantsTheBearerTokenWhenAskedTo() {
    HttpMetrics metrics =
        new HttpMetrics(new SimpleMeterRegistry(), CONTENT_TYPE, () -> EXPOSITION, true);
    try (TestApi api = TestApi.start(TestApi.Setup.defaults().withMetrics(metrics))) {
      Response anonymous = api.get("/metrics", "Authorization", null);
      Response wrong = api.get("/metrics", "Authorization", "Bearer not-the-token");
      Response authenticated = api.get("/metrics");

      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.json().getString("code")).isEqualTo("UNAUTHORIZED");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(authenticated.status()).isEqualTo(200);
      assertThat(authenticated.body()).isEqualTo(EXPOSITION);
      // The health probes stay open: a kubelet has no token.
      assertThat(api.get("/health/live", "Authorization", null).status()).isEqualTo(200);
    }
  }

  @Test
  void anEmptyExpositionWhenMetricsAreOff() {
    try (TestApi api = TestApi.start()) {
      Response r = api.get("/metrics");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
    }
  }

  @Test
  void countsTheConnectionsItsDeadlinesClose() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Duration deadline = Duration.ofMillis(300);
    HttpMetrics metrics = new HttpMetrics(registry, CONTENT_TYPE, () -> "", false);
    try (TestApi api =
            TestApi.start(
                TestApi.Setup.defaults()
                    .withMetrics(metrics)
                    .withConnections(
                        new ConnectionPolicy(deadline, deadline, deadline, 1000, 1000)));
        RawConnection silent = new RawConnection(api.port())) {
      assertThat(silent.closedWithin(Duration.ofSeconds(10))).isTrue();

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(closed(registry, "headers_timeout")).isEqualTo(1.0));
    }
  }

  @Test
  void countsTheConnectionsItClosesForARequestItCannotParse() {
    MeterRegistry registry = new SimpleMeterRegistry();
    HttpMetrics metrics = new HttpMetrics(registry, CONTENT_TYPE, () -> "", false);
    try (TestApi api = TestApi.start(TestApi.Setup.defaults().withMetrics(metrics));
        RawConnection smuggling = new RawConnection(api.port());
        RawConnection garbled = new RawConnection(api.port())) {
      smuggling.send(
          "POST /v1/instances HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      garbled.send("GET / HTTP/1.1\r\nHost: x\r\nnot a header line\r\n\r\n");

      assertThat(smuggling.read().status()).isEqualTo(400);
      assertThat(garbled.read().status()).isEqualTo(400);
      assertThat(smuggling.closedWithin(Duration.ofSeconds(10))).isTrue();
      assertThat(garbled.closedWithin(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(closed(registry, "ambiguous_framing")).isEqualTo(1.0);
                assertThat(closed(registry, "malformed_request")).isEqualTo(1.0);
              });
    }
  }

  @Test
  void countsTheConnectionsItRefusesOverItsCaps() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Duration longDeadline = Duration.ofSeconds(30);
    HttpMetrics metrics = new HttpMetrics(registry, CONTENT_TYPE, () -> "", false);
    try (TestApi api =
            TestApi.start(
                TestApi.Setup.defaults()
                    .withMetrics(metrics)
                    .withConnections(
                        new ConnectionPolicy(longDeadline, longDeadline, longDeadline, 2, 1)));
        RawConnection first = new RawConnection(api.port(), "127.0.0.1");
        RawConnection other = new RawConnection(api.port(), "127.0.0.2")) {
      String live = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
      // Answered, so counted before the next one opens.
      assertThat(first.send(live).read().status()).isEqualTo(200);
      assertThat(other.send(live).read().status()).isEqualTo(200);
      try (RawConnection full = new RawConnection(api.port(), "127.0.0.3")) {
        assertThat(full.read().status()).isEqualTo(503);
      }
      other.close();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                try (RawConnection second = new RawConnection(api.port(), "127.0.0.1")) {
                  assertThat(second.read().status()).isEqualTo(429);
                }
              });

      assertThat(closed(registry, "server_full")).isEqualTo(1.0);
      assertThat(closed(registry, "client_full")).isGreaterThanOrEqualTo(1.0);
    }
  }

  private static double closed(MeterRegistry registry, String reason) {
    var counter =
        Search.in(registry).name("toolrun.http.connections.closed").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
