package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.application.MemoryBudget;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The records' memory budget as HTTP clients see it: refusals, readiness, and room again. */
class MemoryBudgetApiTest {
  // Four launches of a megabyte of parameters pass the smallest budget's low-water mark (90% of
  // 4 MiB); a fifth would go beyond the budget.
  private static final String LARGE_LAUNCH =
      "{\"tool\":\"greeter\",\"parameters\":{\"text\":\"" + "x".repeat(1_000_000) + "\"}}";

  private TestApi api;

  @BeforeEach
  void start() {
    api =
        TestApi.start(
            TestApi.Setup.defaults().withMemoryBudget(new MemoryBudget(MemoryBudget.MIN_BYTES)));
    Response registered =
        api.put("/v1/tools/greeter", "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"g:1\"}}}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aLaunchBeyondTheBudgetIs503WithRetryAfterUntilRetentionMakesRoom() {
    for (int i = 0; i < 4; i++) {
      Response launched = api.post("/v1/instances", LARGE_LAUNCH);
      assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    }
    Response pressed = api.get("/health/ready");
    assertThat(pressed.status()).as("pressure is reported, not unready").isEqualTo(200);
    assertThat(pressed.json().getJsonArray("warnings").getString(0))
        .contains("records.memory-budget-bytes");

    Response refused = api.post("/v1/instances", LARGE_LAUNCH);
    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
    assertThat(refused.json().getString("code")).isEqualTo("MEMORY_BUDGET_EXCEEDED");
    assertThat(refused.header("Retry-After")).contains("2");
    // The refusal may already have made retention remove an ended record: never a fifth one.
    assertThat(api.get("/v1/instances?limit=500").json().getJsonArray("items").size())
        .as("nothing was recorded")
        .isLessThanOrEqualTo(4);

    // The in-memory runs have ended; the refusal asked retention to remove the oldest of them.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.post("/v1/instances", LARGE_LAUNCH).status() == 201);
  }

  @Test
  void aPageOfInstancesHoldsSummariesAndTheInstanceItsParameters() {
    Response launched = api.post("/v1/instances", LARGE_LAUNCH);
    String id = launched.json().getString("id");

    Response page = api.get("/v1/instances");
    assertThat(page.body().length()).as("no parameters in a list").isLessThan(2_000);
    assertThat(page.json().getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(page.json().getJsonArray("items").getJsonObject(0).containsKey("parameters"))
        .isFalse();
    assertThat(api.get("/v1/instances/" + id).json().getJsonObject("parameters").getString("text"))
        .hasSize(1_000_000);
  }
}
