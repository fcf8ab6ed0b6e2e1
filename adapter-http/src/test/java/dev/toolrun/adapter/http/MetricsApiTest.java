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
          .untilAsserted(
              () ->
                  assertThat(
                          Search.in(registry)
                              .name("toolrun.http.connections.closed")
                              .tag("reason", "headers_timeout")
                              .counter())
                      .isNotNull()
                      .extracting(c -> c.count())
                      .isEqualTo(1.0));
    }
  }
}
