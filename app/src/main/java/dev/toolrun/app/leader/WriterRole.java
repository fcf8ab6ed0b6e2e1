package dev.toolrun.app.leader;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesLeaderElection;
import dev.toolrun.adapter.k8s.PodRoleLabel;
import dev.toolrun.ports.out.Leadership;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Whether this process writes: what the core asks ({@link Leadership}) and what the leader election
 * tells. A sole toolrun writes from the start. An elected one stands by (ready, saying it stands
 * by; writes refused) until it leads; then it starts the writing part of the core, exactly as a
 * restarted toolrun does (it reads the records and picks up the runs going), and only after that
 * takes writes. A leader that stops leading without being asked to is fenced: it halts the process
 * at once, without shutdown hooks (which would write what they still hold), and its supervisor
 * starts it again as a standby. On shutdown it refuses writes first, then hands over once all is
 * written.
 *
 * <p>With a {@link PodRoleLabel} it marks its pod with its part, which the Service selects the
 * leader by: a standby at start, the leader once it takes writes (unmarking the previous holder's
 * pod), a standby again first thing on shutdown.
 */
public final class WriterRole implements Leadership {
  private static final Logger LOG = System.getLogger(WriterRole.class.getName());

  /** The exit code of a leader that halted because it lost its lease. */
  public static final int LOST_LEASE_EXIT_CODE = 3;

  static final String STANDBY = "standby: not the leader";
  static final String SHUTTING_DOWN = "toolrun is shutting down";

  /** How long a shutdown waits for its pod to be marked a standby before it goes on. */
  private static final Duration UNMARK_TIMEOUT = Duration.ofSeconds(2);

  private enum State {
    STANDBY,
    LEADING,
    STOPPING
  }

  private final Consumer<String> halt;
  private final boolean elected;
  // Compared and set: a shutdown that begins while the core starts must not be undone by it.
  private final AtomicReference<State> state;
  private volatile Optional<String> leader = Optional.empty();
  private volatile Optional<PodRoleLabel> label = Optional.empty();

  private WriterRole(State state, Consumer<String> halt, boolean elected) {
    this.state = new AtomicReference<>(state);
    this.halt = halt;
    this.elected = elected;
  }

  /** The only toolrun over its records: it writes until it stops. */
  public static WriterRole sole() {
    return new WriterRole(State.LEADING, reason -> {}, false);
  }

  /**
   * A replica that writes only while elected; {@code halt} ends the process when it loses the lease
   * (it is given why, and must not return normally).
   */
  public static WriterRole elected(Consumer<String> halt) {
    return new WriterRole(State.STANDBY, requireNonNull(halt, "halt is null"), true);
  }

  /** Halts this JVM at once with {@link #LOST_LEASE_EXIT_CODE}, after logging why. */
  public static void haltProcess(String reason) {
    LOG.log(
        Level.ERROR,
        "this toolrun stopped leading ({0}); halting at once so that it writes nothing more, to be"
            + " restarted as a standby",
        reason);
    Runtime.getRuntime().halt(LOST_LEASE_EXIT_CODE);
  }

  @Override
  public Optional<String> notWriting() {
    return switch (state.get()) {
      case LEADING -> Optional.empty();
      case STANDBY ->
          Optional.of(
              leader.map(holder -> STANDBY + " (the leader is " + holder + ")").orElse(STANDBY));
      case STOPPING -> Optional.of(SHUTTING_DOWN);
    };
  }

  @Override
  public Optional<Role> role() {
    if (!elected) {
      return Optional.empty();
    }
    return switch (state.get()) {
      case LEADING -> Optional.of(Role.LEADER);
      case STANDBY -> Optional.of(Role.STANDBY);
      case STOPPING -> Optional.empty();
    };
  }

  /** Whether this process writes now. */
  public boolean leading() {
    return state.get() == State.LEADING;
  }

  /**
   * From now on nothing is taken that writes (readiness says so too): the first step of a shutdown.
   * A stop of leadership told after this is the hand-over, not a loss.
   */
  public void stopping() {
    boolean wasLeading = state.getAndSet(State.STOPPING) == State.LEADING;
    if (wasLeading) {
      label.ifPresent(pod -> pod.standbyNow(UNMARK_TIMEOUT));
    }
  }

  /**
   * What the election tells this role: on leading, {@code startWriting} (the core's start: records
   * read, runs picked up, retention scheduled) runs before writes are taken; one that fails halts.
   */
  public KubernetesLeaderElection.Listener whenLeading(Runnable startWriting) {
    return whenLeading(startWriting, Optional.empty());
  }

  /**
   * As {@link #whenLeading(Runnable)}, marking this replica's pod with its role through {@code
   * label} when given: a standby now, whatever it said before (a container restarted after a halt
   * keeps its pod's labels).
   */
  public KubernetesLeaderElection.Listener whenLeading(
      Runnable startWriting, Optional<PodRoleLabel> label) {
    requireNonNull(startWriting, "startWriting is null");
    this.label = requireNonNull(label, "label is null");
    label.ifPresent(PodRoleLabel::standby);
    return new KubernetesLeaderElection.Listener() {
      @Override
      public void startedLeading() {
        // Off the election's thread: fabric8 calls back while it holds its lock, and renewals
        // must go on while the records are read, which may take seconds.
        Thread thread = new Thread(() -> lead(startWriting), "toolrun-start-leading");
        thread.setDaemon(true);
        thread.start();
      }

      @Override
      public void stoppedLeading(String reason) {
        stopLeading(reason);
      }

      @Override
      public void leaderIs(String identity) {
        leader = Optional.ofNullable(identity).filter(holder -> !holder.isBlank());
        leader.ifPresent(holder -> label.ifPresent(pod -> pod.leaderIs(holder)));
        LOG.log(Level.INFO, "the leader is now {0}", leader.orElse("no one"));
      }
    };
  }

  private synchronized void lead(Runnable startWriting) {
    if (state.get() != State.STANDBY) {
      return;
    }
    long started = System.nanoTime();
    try {
      startWriting.run();
    } catch (RuntimeException e) {
      halt.accept("it could not start leading: " + e.getMessage());
      return;
    }
    if (state.compareAndSet(State.STANDBY, State.LEADING)) {
      label.ifPresent(PodRoleLabel::leading);
    }
    LOG.log(
        Level.INFO,
        "leading: the records are read and the runs picked up in {0} ms; taking writes",
        (System.nanoTime() - started) / 1_000_000);
  }

  private void stopLeading(String reason) {
    if (state.get() == State.STOPPING) {
      LOG.log(Level.INFO, "the lease is handed over");
      return;
    }
    halt.accept(reason);
  }
}
