package dev.toolrun.application;

import static dev.toolrun.application.InMemoryToolrun.failureOf;
import static dev.toolrun.application.InMemoryToolrun.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.HoldingService;
import dev.toolrun.adapter.inmemory.ServiceBehaviour;
import dev.toolrun.domain.error.InstanceNotServingException;
import dev.toolrun.domain.error.RequestTimeoutException;
import dev.toolrun.domain.error.TooManyRequestsException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.tool.ToolName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests to a serving instance: the concurrency cap, waiting, timeouts, and draining on stop. */
class ExecuteRequestServiceTest {
  private static final int CAP = 4;

  private final InMemoryToolrun toolrun = new InMemoryToolrun(Capacity.DEFAULT);
  private final HoldingService service = new HoldingService();

  @AfterEach
  void close() {
    toolrun.close();
  }

  /** A serving instance of a tool whose service holds every request until the test answers it. */
  private InstanceId serving(FastServiceSettings settings) {
    toolrun.registeredService("held", settings.build());
    toolrun.runtime.script(new ToolName("held"), service);
    InstanceId id = toolrun.launched("held");
    toolrun.awaitState(id, InstanceState.SERVING);
    return id;
  }

  @Test
  void aBurstOfRequestsNeverHasMoreThanTheCapInFlightAtTheServiceAndAllAreAnswered()
      throws InterruptedException {
    InstanceId id = serving(FastServiceSettings.settings().maxConcurrentRequests(CAP));
    int burst = 10 * CAP;
    ConcurrentLinkedQueue<CompletableFuture<ServiceResponse>> answers =
        new ConcurrentLinkedQueue<>();
    ExecutorService senders = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int n = 0; n < burst; n++) {
        String path = "/work/" + n;
        senders.execute(
            () -> {
              try {
                go.await();
                answers.add(toolrun.send(id, path));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      go.countDown();
      await().atMost(InMemoryToolrun.PATIENCE).until(() -> answers.size() == burst);
    } finally {
      senders.shutdownNow();
      senders.awaitTermination(5, TimeUnit.SECONDS);
    }

    // Each round, the service holds as many as it may at once; answering them lets the next in.
    int answered = 0;
    while (answered < burst) {
      service.awaitHolding(Math.min(CAP, burst - answered));
      assertThat(answers).filteredOn(CompletableFuture::isDone).hasSize(answered);
      answered += service.answerAll();
    }

    assertThat(answers).allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo(200));
    assertThat(service.peak()).isEqualTo(CAP);
    assertThat(service.arrivals()).hasSize(burst).doesNotHaveDuplicates();
  }

  @Test
  void waitingRequestsAreForwardedInTheOrderTheyCame() {
    InstanceId id = serving(FastServiceSettings.settings().maxConcurrentRequests(1));
    List<CompletableFuture<ServiceResponse>> answers = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      answers.add(toolrun.send(id, "/" + n));
    }

    for (int n = 1; n <= 5; n++) {
      service.awaitHolding(1);
      service.answerOldest();
    }

    assertThat(service.arrivals()).containsExactly("/1", "/2", "/3", "/4", "/5");
    assertThat(answers)
        .extracting(a -> text(a.join()))
        .allMatch(body -> body.contains("\"runtime\":\"in-memory\""));
    assertThat(service.peak()).isEqualTo(1);
  }

  @Test
  void requestsBeyondTheWaitingBoundAreRefusedAtOnceWithARetryAfter() {
    InstanceId id = serving(FastServiceSettings.settings().maxConcurrentRequests(1));
    // One in flight, then as many waiting as one slot allows (ten per slot).
    List<CompletableFuture<ServiceResponse>> admitted =
        IntStream.rangeClosed(0, 10).mapToObj(n -> toolrun.send(id, "/" + n)).toList();
    service.awaitHolding(1);

    CompletableFuture<ServiceResponse> refused = toolrun.send(id, "/one-too-many");

    assertThat(refused).as("refused without waiting").isCompletedExceptionally();
    assertThat(failureOf(refused))
        .isInstanceOfSatisfying(
            TooManyRequestsException.class,
            e -> {
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
              assertThat(e.instanceId()).isEqualTo(id);
            });
    for (int n = 0; n <= 10; n++) {
      service.awaitHolding(1);
      service.answerOldest();
    }
    assertThat(admitted).allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo(200));
  }

  @Test
  void requestsThatWaitLongerThanTheRequestTimeoutAreRefused() {
    Duration timeout = Duration.ofMillis(500);
    InstanceId id =
        serving(FastServiceSettings.settings().maxConcurrentRequests(1).requestTimeout(timeout));
    long sentAt = System.nanoTime();
    CompletableFuture<ServiceResponse> first = toolrun.send(id, "/first");
    List<CompletableFuture<ServiceResponse>> waiting =
        IntStream.range(0, 10).mapToObj(n -> toolrun.send(id, "/waiting/" + n)).toList();

    assertThat(failureOf(first)).isInstanceOf(RequestTimeoutException.class);
    await()
        .atMost(InMemoryToolrun.PATIENCE)
        .until(() -> waiting.stream().allMatch(CompletableFuture::isDone));

    // The slot the first request gave back went to whoever was at the head of the line then; every
    // other request waited its full time and was refused.
    List<Throwable> failures = waiting.stream().map(InMemoryToolrun::failureOf).toList();
    assertThat(failures)
        .allMatch(
            f -> f instanceof TooManyRequestsException || f instanceof RequestTimeoutException);
    assertThat(failures)
        .filteredOn(f -> f instanceof TooManyRequestsException)
        .hasSizeGreaterThanOrEqualTo(9);
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isGreaterThanOrEqualTo(timeout);
  }

  @Test
  void aRequestTheServiceNeverAnswersTimesOutAndGivesItsSlotBack() {
    Duration timeout = Duration.ofMillis(300);
    toolrun.registeredService(
        "hangs",
        FastServiceSettings.settings().maxConcurrentRequests(1).requestTimeout(timeout).build());
    toolrun.runtime.script(
        new ToolName("hangs"),
        call ->
            call.request().path().equals("/hang")
                ? new CompletableFuture<>()
                : ServiceBehaviour.echo().answer(call));
    InstanceId id = toolrun.launched("hangs");
    toolrun.awaitState(id, InstanceState.SERVING);

    long sentAt = System.nanoTime();
    Throwable failure = failureOf(toolrun.send(id, "/hang"));

    assertThat(failure)
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining("within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isGreaterThanOrEqualTo(timeout);
    // With its only slot still taken, this one would wait and be refused as "too many".
    assertThat(toolrun.send(id, "/next").join().status()).isEqualTo(200);
  }

  @Test
  void stoppingLetsTheRequestsInFlightFinishBeforeTheWorkloadIsRemoved() {
    InstanceId id = serving(FastServiceSettings.settings());
    CompletableFuture<ServiceResponse> inFlight = toolrun.send(id, "/long");
    service.awaitHolding(1);

    assertThat(toolrun.stop(id).instance().state()).isEqualTo(InstanceState.STOPPING);

    assertThat(failureOf(toolrun.send(id, "/late")))
        .isInstanceOfSatisfying(
            InstanceNotServingException.class,
            e -> assertThat(e.state()).isEqualTo(InstanceState.STOPPING));
    assertThat(toolrun.instance(id).state()).isEqualTo(InstanceState.STOPPING);
    assertThat(toolrun.log(id).complete()).as("the workload is still there").isFalse();

    service.answerAll();

    assertThat(inFlight.join().status()).isEqualTo(200);
    toolrun.awaitState(id, InstanceState.STOPPED);
    toolrun.awaitCompleteLog(id);
    assertThat(service.arrivals()).containsExactly("/long");
  }

  @Test
  void requestsWaitingForASlotWhenTheServiceStopsAreRefusedAsNotServing() {
    InstanceId id = serving(FastServiceSettings.settings().maxConcurrentRequests(1));
    CompletableFuture<ServiceResponse> inFlight = toolrun.send(id, "/first");
    service.awaitHolding(1);
    CompletableFuture<ServiceResponse> waiting = toolrun.send(id, "/second");

    toolrun.stop(id);

    assertThat(failureOf(waiting))
        .isInstanceOfSatisfying(
            InstanceNotServingException.class,
            e -> assertThat(e.state()).isEqualTo(InstanceState.STOPPING));
    service.answerAll();
    assertThat(inFlight.join().status()).isEqualTo(200);
    toolrun.awaitState(id, InstanceState.STOPPED);
  }

  @Test
  void aStopEndsWhenTheRequestsInFlightTimeOut() {
    Duration timeout = Duration.ofMillis(300);
    InstanceId id = serving(FastServiceSettings.settings().requestTimeout(timeout));
    CompletableFuture<ServiceResponse> neverAnswered = toolrun.send(id, "/forever");
    service.awaitHolding(1);

    toolrun.stop(id);

    assertThat(failureOf(neverAnswered)).isInstanceOf(RequestTimeoutException.class);
    toolrun.awaitState(id, InstanceState.STOPPED);
    toolrun.awaitCompleteLog(id);
  }
}
