package dev.toolrun.adapter.mcp.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ToolCallsPollingTest {
  private static final Duration INTERVAL = Duration.ofMillis(250);

  @Test
  void aCallReadsAtOnceThenBacksOffToThePollInterval() {
    assertThat(IntStream.range(0, 9).mapToObj(n -> ToolCalls.delayBefore(n, INTERVAL)).toList())
        .extracting(Duration::toMillis)
        .containsExactly(0L, 5L, 10L, 20L, 40L, 80L, 160L, 250L, 250L);
  }

  @Test
  void aLongCallStaysAtThePollIntervalWithoutOverflowing() {
    assertThat(ToolCalls.delayBefore(Integer.MAX_VALUE, INTERVAL)).isEqualTo(INTERVAL);
    assertThat(ToolCalls.delayBefore(1, Duration.ofMillis(2))).isEqualTo(Duration.ofMillis(2));
  }
}
