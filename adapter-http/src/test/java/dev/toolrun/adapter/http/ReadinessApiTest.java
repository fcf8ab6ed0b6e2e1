package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.ports.out.Leadership;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Readiness and the refusals of an outage the runtime knows of, as HTTP clients see them. */
class ReadinessApiTest {
  private static final String REASON =
      "the Kubernetes API server is unreachable: Connection refused";

  private TestApi api;

  @BeforeEach
  void start() {
    api = TestApi.start();
    Response registered =
        api.put("/v1/tools/greeter", "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"g:1\"}}}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void readyAnswers200UpWithNoProblems() {
    Response ready = api.get("/health/ready");

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("UP");
    assertThat(ready.json().containsKey("problems")).isFalse();
    assertThat(ready.json().containsKey("role")).as("a sole toolrun has no role").isFalse();
  }

  @Test
  void duringAnOutageReadinessIs503WithTheReasonAndWritesAre503WithRetryAfter() {
    api.runtime.beginOutage(REASON);

    Response ready = api.get("/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().getString("status")).isEqualTo("DOWN");
    assertThat(ready.json().getJsonArray("problems").getList()).containsExactly(REASON);
    assertThat(api.get("/health/live").status()).as("alive all the same").isEqualTo(200);

    Response launch = api.post("/v1/instances", "{\"tool\":\"greeter\"}");
    assertThat(launch.status()).isEqualTo(503);
    assertThat(launch.json().getString("code")).isEqualTo("RUNTIME_UNAVAILABLE");
    assertThat(launch.json().getString("message")).contains(REASON);
    assertThat(launch.header("Retry-After")).contains("5");
    Response register =
        api.put("/v1/tools/other", "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"o:1\"}}}");
    assertThat(register.status()).isEqualTo(503);
    assertThat(api.get("/v1/tools/greeter").status()).as("reads go on").isEqualTo(200);

    api.runtime.endOutage();
    assertThat(api.get("/health/ready").status()).isEqualTo(200);
    assertThat(api.post("/v1/instances", "{\"tool\":\"greeter\"}").status()).isEqualTo(201);
  }

  @Test
  void aStandbyIsReadyAndSaysSoAndRefusesWritesWith503AndRetryAfter() {
    api.close();
    api =
        TestApi.start(
            TestApi.Setup.defaults()
                .withLeadership(
                    new Leadership() {
                      @Override
                      public Optional<String> notWriting() {
                        return Optional.of("standby: not the leader (the leader is toolrun-a)");
                      }

                      @Override
                      public Optional<Role> role() {
                        return Optional.of(Role.STANDBY);
                      }
                    }));

    Response ready = api.get("/health/ready");
    assertThat(ready.status()).as(ready.body()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("UP");
    assertThat(ready.json().getString("role")).isEqualTo("standby");
    assertThat(ready.json().containsKey("problems")).isFalse();

    Response launch = api.post("/v1/instances", "{\"tool\":\"greeter\"}");
    assertThat(launch.status()).isEqualTo(503);
    assertThat(launch.json().getString("code")).isEqualTo("RUNTIME_UNAVAILABLE");
    assertThat(launch.json().getString("message")).contains("standby: not the leader");
    assertThat(launch.header("Retry-After")).contains("5");
  }
}
