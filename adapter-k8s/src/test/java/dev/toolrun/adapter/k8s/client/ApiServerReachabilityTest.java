package dev.toolrun.adapter.k8s.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.ports.out.RuntimeOutage;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiServerReachabilityTest {
  private static final String REFUSED = "the Kubernetes API server at x is unreachable: refused";

  private final AtomicBoolean watching = new AtomicBoolean(true);
  private final AtomicReference<Optional<String>> answer = new AtomicReference<>(Optional.empty());
  private final AtomicInteger probes = new AtomicInteger();
  private final MutableClock clock = new MutableClock();
  private final ApiServerReachability reachability =
      ApiServerReachability.unscheduled(
          () -> {
            probes.incrementAndGet();
            return answer.get();
          },
          clock);

  @AfterEach
  void close() {
    reachability.close();
  }

  /** An informer that is running, and watching while {@link #watching} says so. */
  private SharedIndexInformer<?> informer() {
    return (SharedIndexInformer<?>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {SharedIndexInformer.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "isRunning" -> true;
                  case "isWatching" -> watching.get();
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  void whileEveryWatchHoldsNoRequestIsSentAndThereIsNoOutage() {
    reachability.follow(List.of(informer(), informer()));

    for (int i = 0; i < 10; i++) {
      reachability.look();
      clock.advanceSeconds(1);
    }

    assertThat(probes).hasValue(0);
    assertThat(reachability.outage()).isEmpty();
  }

  @Test
  void aLostWatchAndAFailedProbeBeginAnOutageThatTheNextAnswerEnds() {
    reachability.follow(List.of(informer()));
    reachability.look();
    clock.advanceSeconds(1);
    watching.set(false);
    answer.set(Optional.of(REFUSED));

    reachability.look();

    assertThat(reachability.outage()).map(RuntimeOutage::reason).contains(REFUSED);
    Instant since = reachability.outage().orElseThrow().since();

    clock.advanceSeconds(1);
    reachability.look();
    assertThat(reachability.outage().orElseThrow().since()).as("one outage").isEqualTo(since);

    // The watch is back, but only an answer ends the outage.
    watching.set(true);
    clock.advanceSeconds(1);
    answer.set(Optional.empty());
    reachability.look();
    assertThat(reachability.outage()).isEmpty();
  }

  @Test
  void aWatchLostWhileTheServerAnswersIsNoOutage() {
    reachability.follow(List.of(informer()));
    reachability.look();
    watching.set(false);

    reachability.look();

    assertThat(probes).hasValue(1);
    assertThat(reachability.outage()).isEmpty();
  }

  @Test
  void theServerIsAskedAtMostOncePerProbeInterval() {
    reachability.follow(List.of(informer()));
    reachability.look();
    watching.set(false);
    answer.set(Optional.of(REFUSED));

    for (int i = 0; i < 5; i++) {
      reachability.look();
    }
    assertThat(probes).hasValue(1);

    clock.advanceSeconds(1);
    reachability.look();
    assertThat(probes).hasValue(2);
  }

  @Test
  void aFailedRequestMakesTheNextLookAskEvenWhileTheWatchesHold() {
    reachability.follow(List.of(informer()));
    answer.set(Optional.of("the Kubernetes API server at x answered 500 to GET /readyz"));

    reachability.suspect();
    reachability.look();

    assertThat(probes).hasValue(1);
    assertThat(reachability.outage()).isPresent();

    clock.advanceSeconds(1);
    answer.set(Optional.empty());
    reachability.look();
    assertThat(reachability.outage()).isEmpty();
    clock.advanceSeconds(1);
    reachability.look();
    assertThat(probes).as("an answer ends the suspicion").hasValue(2);
  }

  @Test
  void aWatchNotYetOpenedIsNoSignOfAnOutage() {
    watching.set(false);
    reachability.follow(List.of(informer()));
    answer.set(Optional.of(REFUSED));

    reachability.look();

    assertThat(probes).hasValue(0);
    assertThat(reachability.outage()).isEmpty();
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-02T12:00:00Z");

    void advanceSeconds(long seconds) {
      now = now.plusSeconds(seconds);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
