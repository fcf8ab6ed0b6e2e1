package dev.toolrun.adapter.k8s.client;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.out.RuntimeOutage;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the API server can be reached, known at once rather than found out by each caller in
 * turn. It costs no request while all is well: it looks at toolrun's informers every {@link
 * #LOOK_EVERY}, which are watching as long as the API server answers. When one has lost its watch,
 * or when a request of toolrun's failed to connect or met a 5xx ({@link #watcher}), it asks the API
 * server ({@link Probe}, e.g. {@code GET /readyz}) at most once per {@link #PROBE_EVERY}: an answer
 * ends any outage, a failure begins one, until an answer comes again.
 *
 * <p>A watch is lost within moments of the API server's going away (its connection breaks); one
 * whose connection hangs without breaking is not seen until the informer gives it up, so a network
 * that silently drops packets is found out later than a server that is down.
 */
public final class ApiServerReachability implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServerReachability.class);

  static final Duration LOOK_EVERY = Duration.ofMillis(250);
  static final Duration PROBE_EVERY = Duration.ofSeconds(1);

  /** Asks the API server whether it answers. */
  @FunctionalInterface
  public interface Probe {
    /** Empty when the API server answered; else what went wrong, for people. */
    Optional<String> failure();
  }

  private final Probe probe;
  private final Clock clock;
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
  private final Map<SharedIndexInformer<?>, Boolean> seenWatching = new IdentityHashMap<>();
  private final ScheduledExecutorService timer;
  private volatile RuntimeOutage outage;
  private volatile boolean suspected;
  private Instant lastProbe;

  /** Looks every {@link #LOOK_EVERY} on a daemon thread of its own, until closed. */
  public ApiServerReachability(Probe probe, Clock clock) {
    this(probe, clock, true);
  }

  private ApiServerReachability(Probe probe, Clock clock, boolean scheduled) {
    this.probe = requireNonNull(probe, "probe is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "toolrun-k8s-reachability");
              t.setDaemon(true);
              return t;
            });
    if (scheduled) {
      long every = LOOK_EVERY.toMillis();
      timer.scheduleWithFixedDelay(this::look, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** One that looks only when {@link #look} is called: for tests, which call it themselves. */
  static ApiServerReachability unscheduled(Probe probe, Clock clock) {
    return new ApiServerReachability(probe, clock, false);
  }

  /** Follows the watches of {@code started}, which have synced. */
  public void follow(List<? extends SharedIndexInformer<?>> started) {
    informers.addAll(started);
  }

  /**
   * Makes the next look ask the API server, as a request that failed to connect or was answered
   * with a 5xx suggests it is going away (one shutting down gracefully still holds its watches, but
   * fails other requests and its {@code /readyz}).
   */
  public void suspect() {
    suspected = true;
  }

  /** Sees the requests of a client and {@link #suspect suspects} an outage when one fails. */
  public Interceptor watcher() {
    return new Interceptor() {
      @Override
      public void after(
          HttpRequest request,
          HttpResponse<?> response,
          AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (response.code() >= 500) {
          suspect();
        }
      }

      @Override
      public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        suspect();
      }
    };
  }

  /** The outage seen last, if it has not ended. */
  public Optional<RuntimeOutage> outage() {
    return Optional.ofNullable(outage);
  }

  /** One look. */
  synchronized void look() {
    try {
      informers.removeIf(informer -> !informer.isRunning());
      seenWatching.keySet().retainAll(informers);
      boolean watchLost = false;
      for (SharedIndexInformer<?> informer : informers) {
        if (informer.isWatching()) {
          seenWatching.put(informer, Boolean.TRUE);
        } else if (seenWatching.containsKey(informer)) {
          // Only a watch that was up counts as lost: one still being opened after the first list
          // is no sign of an outage, and probing then would only add a connection.
          watchLost = true;
        }
      }
      if (!watchLost && !suspected && outage == null) {
        return;
      }
      Instant now = clock.instant();
      if (lastProbe != null && Duration.between(lastProbe, now).compareTo(PROBE_EVERY) < 0) {
        return;
      }
      lastProbe = now;
      Optional<String> failure = probe.failure();
      if (failure.isPresent() && outage == null) {
        outage = new RuntimeOutage(failure.get(), now);
        LOG.warn("{}; refusing writes until it answers again", failure.get());
      } else if (failure.isEmpty()) {
        suspected = false;
        if (outage != null) {
          LOG.info("the API server answers again, after an outage since {}", outage.since());
          outage = null;
        }
      }
    } catch (RuntimeException e) {
      // The timer must keep looking whatever one look met.
      LOG.warn("could not tell whether the API server is reachable", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
