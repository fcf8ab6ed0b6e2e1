package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.error.TooManyRequestsException;
import dev.toolrun.domain.instance.InstanceId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceInstanceRequestGateTest {
  private static final InstanceId ID =
      InstanceId.generate(Instant.parse("2026-11-25T10:00:00Z"), new Random(1));
  // Long enough that no waiter of a test that is not about expiry ever expires.
  private static final Duration NO_EXPIRY = Duration.ofMinutes(1);
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private static Throwable failureOf(CompletableFuture<Void> slot) {
    assertThat(slot).isCompletedExceptionally();
    return slot.handle(
            (ok, failure) -> failure instanceof CompletionException ? failure.getCause() : failure)
        .join();
  }

  @Test
  void requestsUpToTheLimitGoAtOnceAndTheRestWait() {
    ServiceInstanceRequestGate gate = new ServiceInstanceRequestGate(ID, 2, 10);

    CompletableFuture<Void> first = gate.acquire(NO_EXPIRY, timer);
    CompletableFuture<Void> second = gate.acquire(NO_EXPIRY, timer);
    CompletableFuture<Void> third = gate.acquire(NO_EXPIRY, timer);

    assertThat(first).isCompleted();
    assertThat(second).isCompleted();
    assertThat(third).isNotDone();
    assertThat(gate.inFlight()).isEqualTo(2);
  }

  @Test
  void aFreedSlotGoesToTheLongestWaitingRequest() {
    ServiceInstanceRequestGate gate = new ServiceInstanceRequestGate(ID, 1, 10);
    gate.acquire(NO_EXPIRY, timer);
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      waiting.add(gate.acquire(NO_EXPIRY, timer));
    }

    gate.release();
    assertThat(waiting.get(0)).isCompleted();
    assertThat(waiting.subList(1, 3)).noneMatch(CompletableFuture::isDone);

    gate.release();
    assertThat(waiting.get(1)).isCompleted();
    assertThat(waiting.get(2)).isNotDone();
    assertThat(gate.inFlight()).isEqualTo(1);
    assertThat(gate.peakInFlight()).isEqualTo(1);
  }

  @Test
  void aNewRequestDoesNotOvertakeThoseWaiting() {
    ServiceInstanceRequestGate gate = new ServiceInstanceRequestGate(ID, 1, 10);
    gate.acquire(NO_EXPIRY, timer);
    CompletableFuture<Void> waiting = gate.acquire(NO_EXPIRY, timer);

    gate.release();
    CompletableFuture<Void> late = gate.acquire(NO_EXPIRY, timer);

    assertThat(waiting).isCompleted();
    assertThat(late).isNotDone();
  }

  @Test
  void requestsBeyondTheWaitingBoundAreRefusedAtOnceWithARetryAfter() {
    ServiceInstanceRequestGate gate = new ServiceInstanceRequestGate(ID, 1, 2);
    gate.acquire(NO_EXPIRY, timer);
    gate.acquire(NO_EXPIRY, timer);
    gate.acquire(NO_EXPIRY, timer);

    CompletableFuture<Void> refused = gate.acquire(NO_EXPIRY, timer);

    assertThat(failureOf(refused))
        .isInstanceOfSatisfying(
            TooManyRequestsException.class,
            e -> {
              assertThat(e.retryAfter()).isEqualTo(ServiceInstanceRequestGate.RETRY_AFTER);
              assertThat(e.instanceId()).isEqualTo(ID);
            });
  }

  @Test
  void aRequestThatWaitedTooLongIsRefusedAndLosesItsPlace() {
    ServiceInstanceRequestGate gate = new ServiceInstanceRequestGate(ID, 1, 10);
    gate.acquire(NO_EXPIRY, timer);
    CompletableFuture<Void> impatient = gate.acquire(Duration.ofMillis(50), timer);
    CompletableFuture<Void> patient = gate.acquire(NO_EXPIRY, timer);

    await().atMost(PATIENCE).until(impatient::isDone);
    gate.release();

    assertThat(failureOf(impatient)).isInstanceOf(TooManyRequestsException.class);
    assertThat(patient).isCompleted();
  }

  @Test
  void closingRefusesThoseWaitingAndEveryLaterRequest() {
    ServiceInstanceRequestGate gate = new ServiceInstanceRequestGate(ID, 1, 10);
    gate.acquire(NO_EXPIRY, timer);
    CompletableFuture<Void> waiting = gate.acquire(NO_EXPIRY, timer);

    gate.close();
    CompletableFuture<Void> later = gate.acquire(NO_EXPIRY, timer);

    assertThat(failureOf(waiting))
        .isInstanceOf(ServiceInstanceRequestGate.ClosedException.class)
        .hasMessageContaining(ID.toString());
    assertThat(failureOf(later)).isInstanceOf(ServiceInstanceRequestGate.ClosedException.class);
  }

  @Test
  void closingCompletesOnceTheRequestsInFlightHaveFinished() {
    ServiceInstanceRequestGate gate = new ServiceInstanceRequestGate(ID, 2, 10);
    gate.acquire(NO_EXPIRY, timer);
    gate.acquire(NO_EXPIRY, timer);

    CompletableFuture<Void> idle = gate.close();
    assertThat(idle).isNotDone();
    gate.release();
    assertThat(idle).isNotDone();
    gate.release();

    assertThat(idle).isCompleted();
  }

  @Test
  void closingAnIdleGateCompletesAtOnce() {
    ServiceInstanceRequestGate gate = new ServiceInstanceRequestGate(ID, 2, 10);

    assertThat(gate.close()).isCompleted();
    assertThat(gate.close()).as("closing twice").isCompleted();
  }

  @Test
  void aBurstFromManyThreadsNeverHasMoreThanTheLimitInFlight() throws InterruptedException {
    int limit = 4;
    int requests = 200;
    ServiceInstanceRequestGate gate = new ServiceInstanceRequestGate(ID, limit, requests);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int n = 0; n < requests; n++) {
        senders.execute(
            () -> {
              awaitQuietly(go);
              gate.acquire(NO_EXPIRY, timer)
                  .thenRun(
                      () -> {
                        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        // Finish on another thread, as a real request would.
                        timer.execute(
                            () -> {
                              inFlight.decrementAndGet();
                              done.incrementAndGet();
                              gate.release();
                            });
                      });
            });
      }
      go.countDown();

      await().atMost(PATIENCE).until(() -> done.get() == requests);
    } finally {
      senders.shutdownNow();
      senders.awaitTermination(5, TimeUnit.SECONDS);
    }

    assertThat(peak.get()).isLessThanOrEqualTo(limit);
    assertThat(gate.peakInFlight()).isLessThanOrEqualTo(limit);
    assertThat(gate.inFlight()).isZero();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
