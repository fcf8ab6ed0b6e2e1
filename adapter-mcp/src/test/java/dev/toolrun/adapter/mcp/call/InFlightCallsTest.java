package dev.toolrun.adapter.mcp.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.InstanceId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InFlightCallsTest {
  private static final InstanceId ID = new InstanceId("01a235a7-4995-7b7c-b862-22312b6623c1");
  private final List<InstanceId> cancelled = new CopyOnWriteArrayList<>();
  private final InFlightCalls calls = new InFlightCalls(cancelled::add);

  @Test
  void aCancellationOfARunningCallCancelsItsInstance() {
    InFlightCalls.Call call = calls.open("s1", "r1").orElseThrow();
    call.launched(ID);

    calls.cancelled("s1", "r1");

    assertThat(cancelled).containsExactly(ID);
  }

  @Test
  void aCancellationThatArrivesBeforeTheLaunchReturnedIsAppliedOnceTheInstanceIsKnown() {
    InFlightCalls.Call call = calls.open("s1", 7).orElseThrow();
    calls.cancelled("s1", 7);
    assertThat(cancelled).isEmpty();

    call.launched(ID);

    assertThat(cancelled).containsExactly(ID);
  }

  @Test
  void anotherSessionsRequestWithTheSameIdIsNotCancelled() {
    calls.open("s1", "r1").orElseThrow().launched(ID);

    calls.cancelled("s2", "r1");
    calls.cancelled("s1", "r2");

    assertThat(cancelled).isEmpty();
  }

  @Test
  void aCallThatEndedIsForgottenAndCannotBeCancelled() {
    InFlightCalls.Call call = calls.open("s1", "r1").orElseThrow();
    call.launched(ID);
    call.close();

    calls.cancelled("s1", "r1");

    assertThat(cancelled).isEmpty();
    assertThat(calls.size()).isZero();
  }

  @Test
  void aRequestWithoutSessionOrIdIsNotTracked() {
    assertThat(calls.open(null, "r1")).isEmpty();
    assertThat(calls.open("s1", null)).isEmpty();
    assertThat(calls.size()).isZero();
  }
}
