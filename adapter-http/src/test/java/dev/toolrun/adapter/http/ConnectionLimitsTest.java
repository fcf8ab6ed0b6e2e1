package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.RawConnection.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connections beyond the limits are answered and closed as they open, the per-client limit by the
 * peer's address (loopback has many: 127.0.0.2 is another client than 127.0.0.1), and a closed
 * connection frees its place.
 */
class ConnectionLimitsTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final String LIVE = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";

  @Test
  void connectionsBeyondTheLimitsAreRefusedAndAClosedOneFreesItsPlace() {
    List<RawConnection> open = new ArrayList<>();
    try (TestApi api =
        TestApi.start(
            TestApi.Setup.defaults()
                .withConnections(new ConnectionPolicy(LONG, LONG, LONG, 4, 2)))) {
      for (String client : List.of("127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2")) {
        RawConnection connection = new RawConnection(api.port(), client);
        open.add(connection);
        // Answered, so counted: the next one is judged with this one in.
        assertThat(connection.send(LIVE).read().status()).isEqualTo(200);
      }
      try (RawConnection third = new RawConnection(api.port(), "127.0.0.3")) {
        Answer full = third.read();

        assertThat(full.status()).isEqualTo(503);
        assertThat(full.json().getString("code")).isEqualTo("TOO_MANY_CONNECTIONS");
        assertThat(full.json().getString("message")).contains("4 connections");
        assertThat(full.header("Retry-After")).isEqualTo("1");
        assertThat(third.closedWithin(Duration.ofSeconds(5))).isTrue();
      }

      open.remove(0).close();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                try (RawConnection again = new RawConnection(api.port(), "127.0.0.2")) {
                  Answer perClient = again.read();
                  assertThat(perClient.status()).isEqualTo(429);
                  assertThat(perClient.json().getString("code")).isEqualTo("TOO_MANY_CONNECTIONS");
                  assertThat(perClient.json().getString("message")).contains("2 connections");
                }
              });
      try (RawConnection freed = new RawConnection(api.port(), "127.0.0.1")) {
        assertThat(freed.send(LIVE).read().status()).isEqualTo(200);
      }
    } finally {
      open.forEach(RawConnection::close);
    }
  }
}
