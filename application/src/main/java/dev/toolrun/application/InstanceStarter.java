package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.ports.out.Backoff;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts admitted instances on the runtime, off the caller's thread, and frees their capacity when
 * they end. A runtime that cannot be reached is retried with backoff while the instance waits in
 * CREATING; a runtime that refuses fails the instance with the runtime's reason.
 */
final class InstanceStarter {
  private static final Logger LOG = System.getLogger(InstanceStarter.class.getName());
  private static final Backoff RETRY =
      Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(30));

  private final InstanceRepository instances;
  private final WorkloadRuntime runtime;
  private final Admission admission;
  private final ScheduledExecutorService executor;
  private final AcceptsFirst acceptsFirst;
  private final Clock clock;

  InstanceStarter(
      InstanceRepository instances,
      WorkloadRuntime runtime,
      Admission admission,
      ScheduledExecutorService executor,
      Clock clock) {
    this(instances, runtime, admission, executor, clock, AcceptsFirst.MAX_HOLD);
  }

  /** A starter whose cold starts wait for acceptances for at most {@code maxHold}. */
  InstanceStarter(
      InstanceRepository instances,
      WorkloadRuntime runtime,
      Admission admission,
      ScheduledExecutorService executor,
      Clock clock,
      Duration maxHold) {
    this.instances = requireNonNull(instances, "instances is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.admission = requireNonNull(admission, "admission is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.acceptsFirst = new AcceptsFirst(executor, maxHold);
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Marks a launch as being accepted (its record written) until the acceptance is closed: cold
   * starts wait for acceptances, for a bounded time (see {@link AcceptsFirst}).
   */
  AcceptsFirst.Acceptance accepting() {
    return acceptsFirst.accepting();
  }

  /** Starts {@code launch} when its mode has capacity, or queues it. */
  void submit(Launch launch) {
    admission.admit(launch).ifPresent(this::begin);
  }

  /**
   * A start the runtime expects to hand to a ready pool pod goes at once, ahead of the launches
   * being accepted: it makes a few requests and no pod, which is the reason to keep pools at all,
   * where a cold start's writes and pod would slow the acceptances down (see {@link AcceptsFirst}).
   */
  private void begin(Launch launch) {
    if (runtime.wouldStartWarm(launch)) {
      executor.execute(() -> start(launch, 0));
    } else {
      acceptsFirst.start(() -> start(launch, 0));
    }
  }

  /** Counts an instance whose workload already exists (found after a restart) as active. */
  void occupy(Instance instance) {
    admission.occupy(instance.id(), instance.mode());
  }

  /** Frees the capacity of an instance that ended, and starts whoever was waiting for it. */
  void ended(InstanceId id) {
    for (Launch next : admission.release(id)) {
      begin(next);
    }
  }

  /**
   * The record of {@code id} is gone: removed by retention, or deleted outside toolrun. Whatever it
   * held is given up, since no record will ever end it: its place in the queue, its capacity (the
   * next waiting launch starts), and its workload, which is removed. On Kubernetes the workload is
   * owned by the record and goes with it anyway; removing it here also covers one created while the
   * record was being deleted, and runtimes whose workloads nothing owns. An instance that had ended
   * holds nothing and is left alone.
   */
  void vanished(InstanceId id) {
    if (admission.withdraw(id)) {
      return;
    }
    if (admission.holds(id)) {
      LOG.log(Level.WARNING, "the record of {0} is gone: its capacity is freed", id);
      ended(id);
      // Off the repository's thread (an informer's, on Kubernetes): removing takes API calls.
      executor.execute(() -> terminate(id));
    }
  }

  /** Takes a waiting instance out of the queue; whether it was waiting. */
  boolean withdraw(InstanceId id) {
    return admission.withdraw(id);
  }

  Optional<Integer> queuePosition(InstanceId id) {
    return admission.positionOf(id);
  }

  /** Removes the workload of {@code id}, retrying in the background while the runtime is away. */
  void terminate(InstanceId id) {
    terminate(id, 0);
  }

  private void terminate(InstanceId id, int attempt) {
    try {
      runtime.terminate(id);
    } catch (RuntimeUnavailableException e) {
      Duration delay = RETRY.delay(attempt);
      LOG.log(
          Level.WARNING,
          "could not remove the workload of {0}, retrying in {1} ms: {2}",
          id,
          delay.toMillis(),
          e.getMessage());
      executor.schedule(() -> terminate(id, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ToolrunException e) {
      LOG.log(Level.ERROR, "could not remove the workload of " + id, e);
    }
  }

  private void start(Launch launch, int attempt) {
    InstanceId id = launch.instance().id();
    try {
      Instance creating =
          instances.update(
              id,
              i ->
                  i.state() == InstanceState.PENDING
                      ? i.transitionTo(InstanceState.CREATING, clock.instant())
                      : i);
      if (creating.state() != InstanceState.CREATING) {
        // Cancelled (or otherwise ended) while it waited: nothing to start.
        if (creating.isTerminal()) {
          ended(id);
        }
        return;
      }
      WorkloadStart how = runtime.launch(new Launch(creating, launch.tool(), launch.secrets()));
      Instance started =
          instances.update(
              id, i -> i.advanceTo(InstanceState.STARTING, clock.instant()).startedAs(how));
      if (endedOnRequest(started)) {
        // It was cancelled or stopped while the runtime created it, and the stop may have removed
        // the workload before it existed: remove what was just created. Any other end was reported
        // by the runtime itself (a quick task), and its cleanup policy decides.
        terminate(id);
      }
    } catch (RuntimeUnavailableException e) {
      Duration delay = RETRY.delay(attempt);
      LOG.log(
          Level.WARNING,
          "runtime unavailable while starting {0}, retrying in {1} ms: {2}",
          id,
          delay.toMillis(),
          e.getMessage());
      executor.schedule(() -> retry(launch, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InstanceNotFoundException e) {
      // Its record was deleted while it started: nothing will ever end what was just created.
      LOG.log(Level.WARNING, "instance {0} vanished before it started", id);
      ended(id);
      terminate(id);
    } catch (RejectedExecutionException e) {
      // The runtime is closing under this start: toolrun is stopping. Not the run's failure: its
      // record stays CREATING, and the next toolrun's recovery starts it again.
      LOG.log(
          Level.INFO,
          "toolrun is stopping while starting {0}; it stays CREATING for the next start",
          id);
    } catch (RuntimeRejectedException refused) {
      // The runtime created nothing: the run's log is empty, and no log store will ever say it
      // ended, since nothing writes or completes it.
      fail(id, refused, Optional.of(LogTail.NONE_WRITTEN));
    } catch (RuntimeException e) {
      fail(id, e, Optional.empty());
    }
  }

  private static Instance withTail(Instance ended, Optional<LogTail> tail) {
    return tail.map(ended::withLogTail).orElse(ended);
  }

  private static boolean endedOnRequest(Instance instance) {
    return instance.state() == InstanceState.CANCELLED
        || instance.state() == InstanceState.STOPPING
        || instance.state() == InstanceState.STOPPED;
  }

  private void retry(Launch launch, int attempt) {
    InstanceId id = launch.instance().id();
    Optional<Instance> current = instances.find(id);
    if (current.isEmpty() || current.get().isTerminal()) {
      ended(id);
      return;
    }
    // Back to the state start() expects: CREATING is where the previous attempt left it.
    start(new Launch(current.get(), launch.tool(), launch.secrets()), attempt);
  }

  /**
   * Fails {@code id} for {@code cause}; {@code tail} is its log's end when it is known here, else
   * the log store's is kept.
   */
  private void fail(InstanceId id, RuntimeException cause, Optional<LogTail> tail) {
    String detail =
        cause instanceof ToolrunException ? cause.getMessage() : "runtime error: " + cause;
    if (!(cause instanceof ToolrunException)) {
      LOG.log(Level.ERROR, "starting instance " + id + " failed", cause);
    }
    try {
      instances.update(
          id,
          i ->
              i.isTerminal()
                  ? i
                  : withTail(
                      i.fail(
                          new FailureReason.RuntimeError(detail),
                          Optional.empty(),
                          clock.instant()),
                      tail));
    } catch (IllegalTransitionException | InstanceNotFoundException e) {
      LOG.log(Level.WARNING, "could not record the failure of {0}: {1}", id, e.getMessage());
    }
    ended(id);
  }
}
