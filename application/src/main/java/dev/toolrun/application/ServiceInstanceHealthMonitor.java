package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.UnhealthyAction;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Health-checks service instances through the runtime, every {@code healthInterval}: the first
 * check that passes makes a RUNNING instance SERVING; {@code failureThreshold} failures in a row
 * make a SERVING one unhealthy, and it is restarted or failed as its tool says. An instance that
 * does not pass a check within {@code startTimeout} of starting fails. Every outcome is recorded on
 * the instance (last check, last error, consecutive failures).
 */
final class ServiceInstanceHealthMonitor {
  private static final Logger LOG = System.getLogger(ServiceInstanceHealthMonitor.class.getName());
  private static final Duration MAX_CHECK_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(1);

  private final InstanceRepository instances;
  private final WorkloadRuntime runtime;
  private final ServiceInstanceDirectory directory;
  private final InstanceStarter starter;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final Map<InstanceId, Boolean> watched = new ConcurrentHashMap<>();

  ServiceInstanceHealthMonitor(
      InstanceRepository instances,
      WorkloadRuntime runtime,
      ServiceInstanceDirectory directory,
      InstanceStarter starter,
      ScheduledExecutorService timer,
      Clock clock) {
    this.instances = requireNonNull(instances, "instances is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.timer = requireNonNull(timer, "timer is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Starts checking service instance {@code id} until it ends; watching twice is harmless. */
  void watch(InstanceId id) {
    if (watched.putIfAbsent(id, Boolean.TRUE) == null) {
      timer.execute(() -> tick(id));
    }
  }

  /** Stops checking {@code id}. */
  void unwatch(InstanceId id) {
    watched.remove(id);
  }

  private void tick(InstanceId id) {
    if (!watched.containsKey(id)) {
      return;
    }
    try {
      check(id);
    } catch (RuntimeException e) {
      // A store or catalog that is away for a moment must not end this instance's checks for good.
      LOG.log(
          Level.WARNING,
          "could not check {0}, trying again in {1} ms: {2}",
          id,
          RETRY_AFTER_ERROR.toMillis(),
          e.getMessage());
      timer.schedule(() -> tick(id), RETRY_AFTER_ERROR.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  // Schedules the next tick itself, unless the instance is no longer watched or it throws.
  private void check(InstanceId id) {
    Optional<Instance> found = instances.find(id);
    Optional<ServiceSettings> settings =
        found.isEmpty() ? Optional.empty() : directory.settings(id);
    if (found.isEmpty()
        || settings.isEmpty()
        || found.get().isTerminal()
        || found.get().state() == InstanceState.STOPPING) {
      unwatch(id);
      return;
    }
    Instance instance = found.get();
    ServiceSettings service = settings.get();
    Instant now = clock.instant();
    Optional<Instant> started = instance.enteredAt(InstanceState.STARTING);
    boolean notYetHealthy =
        instance.state() == InstanceState.STARTING || instance.state() == InstanceState.RUNNING;
    if (notYetHealthy
        && started.isPresent()
        && Duration.between(started.get(), now).compareTo(service.startTimeout()) > 0) {
      fail(
          id,
          new FailureReason.HealthCheckFailed(
              instance.health().consecutiveFailures(),
              "never passed a health check within %d s of starting%s"
                  .formatted(
                      service.startTimeout().toSeconds(),
                      instance
                          .health()
                          .lastError()
                          .map(e -> " (last check: " + e + ")")
                          .orElse(""))));
      return;
    }
    if (instance.state() != InstanceState.RUNNING && instance.state() != InstanceState.SERVING) {
      next(id, service);
      return;
    }
    Duration timeout =
        service.healthInterval().compareTo(MAX_CHECK_TIMEOUT) < 0
            ? service.healthInterval()
            : MAX_CHECK_TIMEOUT;
    try {
      runtime
          .send(id, service.port(), ServiceRequest.get(service.healthPath()), timeout)
          .whenComplete(
              (response, failure) -> {
                try {
                  checked(id, service, outcome(response, failure));
                } catch (RuntimeException e) {
                  LOG.log(Level.WARNING, "recording a health check of " + id + " failed", e);
                }
                next(id, service);
              });
    } catch (RuntimeException e) {
      checked(id, service, Optional.of("the check could not be sent: " + e.getMessage()));
      next(id, service);
    }
  }

  /** Empty when the check passed, else what went wrong. */
  private static Optional<String> outcome(ServiceResponse response, Throwable failure) {
    if (failure != null) {
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      return Optional.of(String.valueOf(cause.getMessage()));
    }
    return response.isSuccessful()
        ? Optional.empty()
        : Optional.of("the health check answered HTTP " + response.status());
  }

  private void next(InstanceId id, ServiceSettings service) {
    if (watched.containsKey(id)) {
      timer.schedule(() -> tick(id), service.healthInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void checked(InstanceId id, ServiceSettings service, Optional<String> error) {
    Instant now = clock.instant();
    Instance after;
    try {
      after =
          instances.update(
              id,
              i -> {
                if (i.isTerminal()
                    || (i.state() != InstanceState.RUNNING && i.state() != InstanceState.SERVING)) {
                  return i;
                }
                if (error.isEmpty()) {
                  Instance healthy = i.withHealth(i.health().passed(now));
                  return healthy.state() == InstanceState.RUNNING
                      ? healthy.transitionTo(InstanceState.SERVING, now)
                      : healthy;
                }
                return i.withHealth(i.health().failed(now, error.get()));
              });
    } catch (InstanceNotFoundException | IllegalTransitionException e) {
      unwatch(id);
      return;
    }
    if (after.state() == InstanceState.SERVING
        && after.health().consecutiveFailures() >= service.failureThreshold()) {
      unhealthy(after, service);
    }
  }

  private void unhealthy(Instance instance, ServiceSettings service) {
    String lastError = instance.health().lastError().orElse("unknown");
    if (service.onUnhealthy() == UnhealthyAction.RESTART
        && instance.restarts() < service.maxRestarts()) {
      LOG.log(
          Level.INFO,
          "instance {0} failed {1} health checks in a row ({2}); restarting it",
          instance.id(),
          instance.health().consecutiveFailures(),
          lastError);
      Instance restarted;
      try {
        restarted =
            instances.update(
                instance.id(),
                i -> i.state() == InstanceState.SERVING ? i.restart(clock.instant()) : i);
      } catch (IllegalTransitionException | InstanceNotFoundException e) {
        LOG.log(Level.DEBUG, "instance {0} changed while it was being restarted", instance.id());
        return;
      }
      // Stopped, failed or restarted meanwhile: a stopping instance's workload must be left to
      // drain.
      if (restarted.state() == InstanceState.STARTING
          && restarted.restarts() == instance.restarts() + 1) {
        restartWorkload(instance.id(), restarted.restarts(), service);
      }
      return;
    }
    fail(
        instance.id(),
        new FailureReason.HealthCheckFailed(instance.health().consecutiveFailures(), lastError));
  }

  /**
   * Asks the runtime for the fresh workload of restart number {@code restartNumber}, which the
   * record already shows as STARTING; while the runtime is away it is asked again every health
   * interval, since nothing else would ever replace the unhealthy workload.
   */
  private void restartWorkload(InstanceId id, int restartNumber, ServiceSettings service) {
    try {
      runtime.restart(id);
    } catch (RuntimeUnavailableException e) {
      LOG.log(
          Level.WARNING,
          "could not restart {0} yet, trying again in {1} ms: {2}",
          id,
          service.healthInterval().toMillis(),
          e.getMessage());
      timer.schedule(
          () -> retryRestart(id, restartNumber, service),
          service.healthInterval().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private void retryRestart(InstanceId id, int restartNumber, ServiceSettings service) {
    Optional<Instance> current;
    try {
      current = instances.find(id);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not read {0} to retry its restart: {1}", id, e.getMessage());
      timer.schedule(
          () -> retryRestart(id, restartNumber, service),
          service.healthInterval().toMillis(),
          TimeUnit.MILLISECONDS);
      return;
    }
    // Only while this restart still waits for its workload: a stop, an end or the start timeout
    // settles it otherwise.
    if (watched.containsKey(id)
        && current.isPresent()
        && current.get().state() == InstanceState.STARTING
        && current.get().restarts() == restartNumber) {
      restartWorkload(id, restartNumber, service);
    }
  }

  private void fail(InstanceId id, FailureReason reason) {
    Instance after;
    try {
      after =
          instances.update(
              id,
              i ->
                  i.isTerminal() || i.state() == InstanceState.STOPPING
                      ? i
                      : i.fail(reason, Optional.empty(), clock.instant()));
    } catch (InstanceNotFoundException | IllegalTransitionException e) {
      unwatch(id);
      return;
    }
    unwatch(id);
    if (after.state() == InstanceState.STOPPING) {
      // A stop came first: it drains the requests in flight, then removes the workload itself.
      return;
    }
    directory.forget(id);
    starter.terminate(id);
    starter.ended(id);
  }
}
