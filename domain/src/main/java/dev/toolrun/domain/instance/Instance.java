package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One launch of one version of a tool, and everything known about its run.
 *
 * <p>Immutable: every change returns a new instance, and every change of state goes through {@link
 * #transitionTo}, which enforces {@link InstanceState}'s table.
 *
 * @param secretNames names of the secret inputs it was given; their values are never part of it
 * @param secretReference the Secret its secret inputs come from, when they were given by reference
 *     rather than as values; {@code secretNames} are then the tool's secret inputs, which its
 *     workload takes from that Secret's keys of the same names
 * @param history every state entered, in order, with its time; the first is {@code PENDING}
 * @param failure why it ended without success; present exactly in FAILED, TIMED_OUT and CANCELLED
 * @param exitCode the process's exit code, when one is known
 * @param result the task's structured result, only in SUCCEEDED
 * @param health health checks of a service; {@link ServiceHealth#UNCHECKED} for tasks
 * @param restarts how many times a service was restarted after failing its health checks
 * @param logTail the end of its log, kept once it ended
 * @param start whether its workload was started warm (on a pool pod) or cold, once the runtime has
 *     started it
 */
public record Instance(
    InstanceId id,
    ToolName toolName,
    int toolVersion,
    ToolMode mode,
    Parameters parameters,
    SortedSet<String> secretNames,
    Optional<SecretReference> secretReference,
    Optional<IdempotencyKey> idempotencyKey,
    InstanceState state,
    List<StateChange> history,
    Optional<FailureReason> failure,
    Optional<Integer> exitCode,
    Optional<ToolResult> result,
    ServiceHealth health,
    int restarts,
    Optional<LogTail> logTail,
    Optional<WorkloadStart> start) {

  public Instance {
    requireNonNull(id, "id is null");
    requireNonNull(toolName, "toolName is null");
    requireNonNull(mode, "mode is null");
    requireNonNull(parameters, "parameters is null");
    secretNames =
        Collections.unmodifiableSortedSet(
            new TreeSet<>(requireNonNull(secretNames, "secretNames is null")));
    requireNonNull(secretReference, "secretReference is null");
    requireNonNull(idempotencyKey, "idempotencyKey is null");
    requireNonNull(state, "state is null");
    history = List.copyOf(requireNonNull(history, "history is null"));
    requireNonNull(failure, "failure is null");
    requireNonNull(exitCode, "exitCode is null");
    requireNonNull(result, "result is null");
    requireNonNull(health, "health is null");
    if (toolVersion < 1) {
      throw new IllegalArgumentException("toolVersion must be positive");
    }
    if (history.isEmpty()
        || history.get(0).state() != InstanceState.PENDING
        || history.get(history.size() - 1).state() != state) {
      throw new IllegalArgumentException(
          "history must start with PENDING and end with the current state " + state);
    }
    if (failure.isPresent() != needsFailureReason(state)) {
      throw new IllegalArgumentException(
          "a failure reason belongs to FAILED, TIMED_OUT and CANCELLED instances, not to " + state);
    }
    if (failure.isPresent() && failure.get().terminalState() != state) {
      throw new IllegalArgumentException(
          "failure %s does not end in %s".formatted(failure.get().kind(), state));
    }
    if (result.isPresent() && state != InstanceState.SUCCEEDED) {
      throw new IllegalArgumentException("only a SUCCEEDED instance has a result");
    }
    if (restarts < 0) {
      throw new IllegalArgumentException("restarts must not be negative");
    }
    requireNonNull(logTail, "logTail is null");
    requireNonNull(start, "start is null");
  }

  /** A new, PENDING instance of {@code tool}, given the values of {@code secretNames}. */
  public static Instance launch(
      InstanceId id,
      Tool tool,
      Parameters parameters,
      Set<String> secretNames,
      Optional<IdempotencyKey> idempotencyKey,
      Instant at) {
    return launch(id, tool, parameters, secretNames, Optional.empty(), idempotencyKey, at);
  }

  /**
   * A new, PENDING instance of {@code tool} whose secret inputs {@code secretNames} are given as
   * values (no {@code secretReference}) or by the Secret {@code secretReference} names.
   */
  public static Instance launch(
      InstanceId id,
      Tool tool,
      Parameters parameters,
      Set<String> secretNames,
      Optional<SecretReference> secretReference,
      Optional<IdempotencyKey> idempotencyKey,
      Instant at) {
    return new Instance(
        id,
        tool.name(),
        tool.version(),
        tool.mode(),
        parameters,
        new TreeSet<>(secretNames),
        secretReference,
        idempotencyKey,
        InstanceState.PENDING,
        List.of(new StateChange(InstanceState.PENDING, at)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        ServiceHealth.UNCHECKED,
        0,
        Optional.empty(),
        Optional.empty());
  }

  public Instant createdAt() {
    return history.get(0).at();
  }

  /** When the instance last changed state. */
  public Instant updatedAt() {
    return history.get(history.size() - 1).at();
  }

  /** When the instance last entered {@code s}, if it ever did. */
  public Optional<Instant> enteredAt(InstanceState s) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).state() == s) {
        return Optional.of(history.get(i).at());
      }
    }
    return Optional.empty();
  }

  public boolean isTerminal() {
    return state.isTerminal();
  }

  /**
   * Whether its workload can be created only with secret values handed over at launch, which are
   * never stored: it has secret inputs, given as values rather than by a Secret's reference.
   */
  public boolean needsSecretValues() {
    return !secretNames.isEmpty() && secretReference.isEmpty();
  }

  /**
   * The instance in state {@code next}, entered at {@code at}. FAILED, TIMED_OUT and CANCELLED need
   * a reason and are entered through {@link #fail}; SUCCEEDED may also be entered through {@link
   * #succeed} to record a result.
   *
   * @return this instance when it already is in {@code next}
   * @throws IllegalTransitionException when the lifecycle table forbids the move
   */
  public Instance transitionTo(InstanceState next, Instant at) {
    if (needsFailureReason(next) && next != state) {
      checkTransition(next);
      throw new IllegalArgumentException(next + " needs a failure reason: use fail()");
    }
    return moveTo(next, at, failure, exitCode, result);
  }

  private static boolean needsFailureReason(InstanceState s) {
    return s == InstanceState.FAILED
        || s == InstanceState.TIMED_OUT
        || s == InstanceState.CANCELLED;
  }

  private void checkTransition(InstanceState next) {
    if (!state.canTransitionTo(next, mode)) {
      throw new IllegalTransitionException(id, state, next);
    }
  }

  // The single point where the state changes: every public transition goes through the table here.
  private Instance moveTo(
      InstanceState next,
      Instant at,
      Optional<FailureReason> newFailure,
      Optional<Integer> newExitCode,
      Optional<ToolResult> newResult) {
    requireNonNull(next, "next is null");
    requireNonNull(at, "at is null");
    if (next == state) {
      return this;
    }
    checkTransition(next);
    List<StateChange> longer = new ArrayList<>(history.size() + 1);
    longer.addAll(history);
    longer.add(new StateChange(next, at));
    return copy(
        change -> {
          change.state = next;
          change.history = longer;
          change.failure = newFailure;
          change.exitCode = newExitCode;
          change.result = newResult;
        });
  }

  /**
   * The instance moved forward to {@code observed}, passing through the states in between; a state
   * that is not ahead of the current one (a late or repeated observation) changes nothing.
   *
   * @throws IllegalTransitionException when {@code observed} is ahead but cannot be reached
   */
  public Instance advanceTo(InstanceState observed, Instant at) {
    if (state.isTerminal() || !observed.isAheadOf(state)) {
      return this;
    }
    List<InstanceState> path =
        state
            .forwardPathTo(observed, mode)
            .orElseThrow(() -> new IllegalTransitionException(id, state, observed));
    Instance moved = this;
    for (InstanceState step : path) {
      moved = moved.transitionTo(step, at);
    }
    return moved;
  }

  /** The instance SUCCEEDED at {@code at} with exit code 0 and its result, if it produced one. */
  public Instance succeed(Optional<ToolResult> taskResult, Instant at) {
    return moveTo(
        InstanceState.SUCCEEDED,
        at,
        Optional.empty(),
        Optional.of(0),
        requireNonNull(taskResult, "taskResult is null"));
  }

  /**
   * The instance ended at {@code at} for {@code reason}: TIMED_OUT for a deadline, CANCELLED for a
   * cancellation, FAILED otherwise.
   */
  public Instance fail(FailureReason reason, Optional<Integer> processExitCode, Instant at) {
    requireNonNull(reason, "reason is null");
    requireNonNull(processExitCode, "processExitCode is null");
    Optional<Integer> code =
        reason instanceof FailureReason.ExitedNonZero exited
            ? Optional.of(exited.exitCode())
            : processExitCode;
    return moveTo(reason.terminalState(), at, Optional.of(reason), code, Optional.empty());
  }

  /** The instance with the outcome of one more health check. */
  public Instance withHealth(ServiceHealth checked) {
    requireNonNull(checked, "checked is null");
    return copy(change -> change.health = checked);
  }

  /** The instance with {@code tail} as the end of its log. */
  public Instance withLogTail(LogTail tail) {
    Optional<LogTail> kept = Optional.of(requireNonNull(tail, "tail is null"));
    return copy(change -> change.logTail = kept);
  }

  /** The instance whose workload the runtime started as {@code how}. */
  public Instance startedAs(WorkloadStart how) {
    Optional<WorkloadStart> started = Optional.of(requireNonNull(how, "how is null"));
    return copy(change -> change.start = started);
  }

  /** A service started again at {@code at} after it became unhealthy; its health starts afresh. */
  public Instance restart(Instant at) {
    checkTransition(InstanceState.STARTING);
    Instance starting = transitionTo(InstanceState.STARTING, at);
    return starting.copy(
        change -> {
          change.health = ServiceHealth.UNCHECKED;
          change.restarts = restarts + 1;
        });
  }

  /**
   * About the heap this record takes, for a budget of the records held in memory: what it was
   * launched with (its parameters' text, at its compact size) and what it gathered since (result,
   * failure, log tail, history), plus a fixed share for the record's own objects. An estimate that
   * errs high: text other than the parameters is counted at two bytes a character.
   */
  public long retainedBytes() {
    long bytes = RECORD_OVERHEAD_BYTES + parameters.retainedBytes();
    bytes += 64L * history.size() + 48L * secretNames.size();
    for (String name : secretNames) {
      bytes += 2L * name.length();
    }
    bytes += secretReference.map(r -> 48 + 2L * r.name().length()).orElse(0L);
    bytes +=
        idempotencyKey
            .map(k -> 2L * (k.value().length() + k.requestFingerprint().length()))
            .orElse(0L);
    bytes += failure.map(f -> 48 + 2L * f.message().length()).orElse(0L);
    bytes += health.lastError().map(e -> 48 + 2L * e.length()).orElse(0L);
    if (result.isPresent()) {
      bytes += 48 + 2L * result.get().json().length();
      for (var v : result.get().violations()) {
        bytes += 96 + 2L * (v.field().length() + v.message().length());
      }
    }
    if (logTail.isPresent()) {
      for (String line : logTail.get().lines()) {
        bytes += 48 + 2L * line.length();
      }
    }
    return bytes;
  }

  /**
   * The record's own objects, its ids, names, sets and optionals, measured on a 64-bit JVM with
   * compressed references (docs/benchmarks.md, figure 5a) and rounded up.
   */
  static final long RECORD_OVERHEAD_BYTES = 1024;

  /**
   * The one path by which an instance is copied: {@code change} sets what differs, everything else
   * is this instance's, and the canonical constructor checks the result. A component added to the
   * record is added here once, not at every change.
   */
  private Instance copy(Consumer<Changes> change) {
    Changes changes = new Changes();
    change.accept(changes);
    return new Instance(
        id,
        toolName,
        toolVersion,
        mode,
        parameters,
        secretNames,
        secretReference,
        idempotencyKey,
        changes.state,
        changes.history,
        changes.failure,
        changes.exitCode,
        changes.result,
        changes.health,
        changes.restarts,
        changes.logTail,
        changes.start);
  }

  /** What may change from one copy to the next; what it was launched with never does. */
  private final class Changes {
    private InstanceState state = Instance.this.state;
    private List<StateChange> history = Instance.this.history;
    private Optional<FailureReason> failure = Instance.this.failure;
    private Optional<Integer> exitCode = Instance.this.exitCode;
    private Optional<ToolResult> result = Instance.this.result;
    private ServiceHealth health = Instance.this.health;
    private int restarts = Instance.this.restarts;
    private Optional<LogTail> logTail = Instance.this.logTail;
    private Optional<WorkloadStart> start = Instance.this.start;
  }
}
