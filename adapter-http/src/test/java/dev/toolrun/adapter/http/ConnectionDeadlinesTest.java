package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.RawConnection.Answer;
import dev.toolrun.domain.instance.ServiceResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients are cut off at the policy's deadlines, while a request being served, and
 * other clients, are not. The deadlines here are short so the tests are; nothing measures how close
 * to its deadline a connection closed, only that it closed and what it was told.
 */
class ConnectionDeadlinesTest {
  private static final Duration DEADLINE = Duration.ofMillis(700);
  // Far longer than any deadline, so that a connection still open after it was not cut.
  private static final Duration LONG_AFTER = Duration.ofSeconds(10);
  private static final String ID = "0193a9b2-7c1d-7aaa-8bbb-0123456789ab";
  private static final String AUTH = "Authorization: Bearer " + TestApi.TOKEN + "\r\n";

  private static TestApi api;
  private static ScheduledExecutorService later;

  @BeforeAll
  static void start() {
    later = Executors.newSingleThreadScheduledExecutor();
    api =
        TestApi.start(
            TestApi.Setup.defaults()
                .withConnections(new ConnectionPolicy(DEADLINE, DEADLINE, DEADLINE, 1000, 1000))
                // A service that answers only after several deadlines have passed.
                .withExecute(
                    command -> {
                      CompletableFuture<ServiceResponse> answer = new CompletableFuture<>();
                      later.schedule(
                          () ->
                              answer.complete(
                                  new ServiceResponse(
                                      200, Map.of(), "late".getBytes(StandardCharsets.UTF_8))),
                          DEADLINE.multipliedBy(3).toMillis(),
                          TimeUnit.MILLISECONDS);
                      return answer;
                    }));
  }

  @AfterAll
  static void stop() {
    api.close();
    later.shutdownNow();
  }

  @Test
  void headersThatNeverEndAreAnswered408AndTheConnectionCloses() {
    try (RawConnection slow = new RawConnection(api.port())) {
      slow.send("GET /v1/tools HTTP/1.1\r\nHost: x\r\n");

      Answer answer = slow.read();

      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.json().getString("code")).isEqualTo("REQUEST_TIMEOUT");
      assertThat(answer.json().getString("message")).contains("headers", "700 ms");
      assertThat(answer.header("Connection")).isEqualTo("close");
      assertThat(slow.closedWithin(LONG_AFTER)).isTrue();
    }
  }

  @Test
  void aConnectionOnWhichNothingComesIsClosedWithoutAWord() {
    try (RawConnection silent = new RawConnection(api.port())) {
      assertThat(silent.closedWithin(LONG_AFTER)).isTrue();
    }
  }

  @Test
  void aBodyThatStopsShortIsAnswered408AndTheConnectionCloses() {
    try (RawConnection slow = new RawConnection(api.port())) {
      slow.send(
          "PUT /v1/tools/slow HTTP/1.1\r\nHost: x\r\n"
              + AUTH
              + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"spec\":");

      Answer answer = slow.read();

      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.json().getString("code")).isEqualTo("REQUEST_TIMEOUT");
      assertThat(answer.json().getString("message")).contains("body");
      assertThat(slow.closedWithin(LONG_AFTER)).isTrue();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterItsAnswer() {
    try (RawConnection idle = new RawConnection(api.port())) {
      idle.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(idle.read().status()).isEqualTo(200);
      assertThat(idle.closedWithin(LONG_AFTER)).isTrue();
    }
  }

  @Test
  void aKeepAliveConnectionServesRequestsThatComeWithinTheIdleTimeout() {
    try (RawConnection busy = new RawConnection(api.port())) {
      for (int i = 0; i < 5; i++) {
        busy.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(busy.read().status()).isEqualTo(200);
      }
    }
  }

  @Test
  void aRequestThatWaitsLongForItsServiceIsNotCut() {
    try (RawConnection patient = new RawConnection(api.port())) {
      String envelope = "{\"method\":\"GET\",\"path\":\"/\"}";
      patient.send(
          "POST /v1/instances/"
              + ID
              + "/requests HTTP/1.1\r\nHost: x\r\n"
              + AUTH
              + "Content-Type: application/json\r\nContent-Length: "
              + envelope.length()
              + "\r\n\r\n"
              + envelope);

      Answer answer = patient.read();

      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.json().getString("body")).isEqualTo("late");
      // The connection lives on, for the idle timeout, and serves the next request.
      patient.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(patient.read().status()).isEqualTo(200);
    }
  }

  @Test
  void twoHundredTricklingClientsAreCutOffWhileANormalClientIsServed() throws Exception {
    List<RawConnection> slow = new ArrayList<>();
    AtomicInteger served = new AtomicInteger();
    try {
      for (int i = 0; i < 200; i++) {
        RawConnection connection = new RawConnection(api.port());
        // Half trickle their headers, half their body: one byte now, more later.
        connection.send(
            i % 2 == 0
                ? "G"
                : "PUT /v1/tools/t HTTP/1.1\r\nHost: x\r\n"
                    + AUTH
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
        slow.add(connection);
      }
      // Each sends one more byte every 100 ms, which would keep a connection open for ever if
      // only the gap between bytes were bounded.
      var trickle =
          later.scheduleAtFixedRate(
              () -> slow.forEach(connection -> connection.trySend(" ")),
              100,
              100,
              TimeUnit.MILLISECONDS);
      try {
        await()
            .atMost(LONG_AFTER)
            .pollInterval(Duration.ofMillis(50))
            .untilAsserted(
                () -> {
                  assertThat(api.get("/v1/tools").status()).isEqualTo(200);
                  served.incrementAndGet();
                  assertThat(slow.stream().filter(c -> !c.trySend(" ")).count()).isEqualTo(200);
                });
      } finally {
        trickle.cancel(false);
      }
    } finally {
      slow.forEach(RawConnection::close);
    }
    assertThat(served.get()).isPositive();
  }
}
