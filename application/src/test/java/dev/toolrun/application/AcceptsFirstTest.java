package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AcceptsFirstTest {
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aStartWithNoAcceptanceGoingOnRunsAtOnce() throws InterruptedException {
    AcceptsFirst gate = new AcceptsFirst(executor, Duration.ofMinutes(1));
    CountDownLatch ran = new CountDownLatch(1);

    gate.start(ran::countDown);

    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void startsWaitUntilTheLastAcceptanceEndsThenAllRun() {
    AcceptsFirst gate = new AcceptsFirst(executor, Duration.ofMinutes(1));
    AtomicInteger ran = new AtomicInteger();
    AcceptsFirst.Acceptance first = gate.accepting();
    AcceptsFirst.Acceptance second = gate.accepting();

    gate.start(ran::incrementAndGet);
    gate.start(ran::incrementAndGet);
    first.close();
    // Held starts are handed on only by the last acceptance's close (or the hold's end, a minute
    // away): none can be running now.
    assertThat(ran).hasValue(0);

    second.close();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ran).hasValue(2));
  }

  @Test
  void aStartHeldByAcceptancesThatDoNotEndRunsOnceAfterTheHold() {
    AcceptsFirst gate = new AcceptsFirst(executor, Duration.ofMillis(200));
    AtomicInteger ran = new AtomicInteger();
    AcceptsFirst.Acceptance endless = gate.accepting();

    gate.start(ran::incrementAndGet);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ran).hasValue(1));
    // The acceptance ending afterwards finds nothing held: the start ran once.
    endless.close();
    CountDownLatch probe = new CountDownLatch(1);
    executor.schedule(probe::countDown, 300, TimeUnit.MILLISECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.getCount() == 0);
    assertThat(ran).hasValue(1);
  }
}
