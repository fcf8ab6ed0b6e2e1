package dev.toolrun.adapter.inmemory;

import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.instance.ServiceResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service for tests: it passes its health checks at once and holds every other request until the
 * test lets it answer (with the echo of {@link ServiceBehaviour#echo()}). It counts what it holds,
 * so a test can tell how many requests reached it at once. Thread-safe.
 */
public final class HoldingService implements ServiceBehaviour {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(10);

  private final List<Held> held = new ArrayList<>();
  private final List<String> arrivals = new ArrayList<>();
  private final AtomicInteger holding = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  private record Held(ServiceCall call, CompletableFuture<ServiceResponse> answer) {}

  @Override
  public CompletionStage<ServiceResponse> answer(ServiceCall call) {
    if (call.isHealthCheck()) {
      return ServiceBehaviour.echo().answer(call);
    }
    CompletableFuture<ServiceResponse> answer = new CompletableFuture<>();
    peak.accumulateAndGet(holding.incrementAndGet(), Math::max);
    synchronized (this) {
      held.add(new Held(call, answer));
      arrivals.add(call.request().path());
    }
    return answer;
  }

  /** How many requests it holds now. */
  public int holding() {
    return holding.get();
  }

  /** The most requests it ever held at once. */
  public int peak() {
    return peak.get();
  }

  /** The paths of the requests it received, in the order they arrived. */
  public synchronized List<String> arrivals() {
    return List.copyOf(arrivals);
  }

  /** Waits until it holds exactly {@code count} requests. */
  public void awaitHolding(int count) {
    await().atMost(PATIENCE).pollInterval(POLL).until(() -> holding() == count);
  }

  /** Answers the requests it holds, oldest first, and returns how many it answered. */
  public int answerAll() {
    List<Held> answering;
    synchronized (this) {
      answering = List.copyOf(held);
      held.clear();
    }
    // Counted down before answering: the answer frees the caller's slot for the next request.
    for (Held request : answering) {
      holding.decrementAndGet();
      ServiceBehaviour.echo().answer(request.call()).thenAccept(request.answer()::complete);
    }
    return answering.size();
  }

  /** Answers the request it has held longest; it must hold one. */
  public void answerOldest() {
    Held oldest;
    synchronized (this) {
      if (held.isEmpty()) {
        throw new IllegalStateException("no request is held");
      }
      oldest = held.remove(0);
    }
    holding.decrementAndGet();
    ServiceBehaviour.echo().answer(oldest.call()).thenAccept(oldest.answer()::complete);
  }
}
