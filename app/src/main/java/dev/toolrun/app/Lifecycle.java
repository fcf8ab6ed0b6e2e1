package dev.toolrun.app;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * What the app owns, started and stopped in one declared order: {@link #start} starts the
 * components first to last, {@link #stop} stops them last to first, so that nothing is stopped
 * before what depends on it.
 *
 * <p>A component is an object that is already built (Guice built it, so it may hold threads or
 * connections from then on), with an optional start step and a stop step. That is why {@link #stop}
 * stops every component, whether its start ran, failed or never came: each stop step must be safe
 * on a component that was built but not started. Each stop is isolated (a failing one is logged and
 * the others still run), and {@link #stop} does its work once. A start that fails stops everything
 * and rethrows, so that a caller never holds a half-started lifecycle.
 *
 * <p>{@link #start} and {@link #stop} exclude each other: a stop that comes (from a shutdown hook)
 * while the components start waits until they have, then stops them all.
 */
final class Lifecycle {
  private static final Logger LOG = System.getLogger(Lifecycle.class.getName());

  /** A component's start step; it may throw to say that the component cannot start. */
  @FunctionalInterface
  interface Start {
    void start() throws Exception;
  }

  private enum State {
    NEW,
    STARTED,
    STOPPED
  }

  private record Component(String name, Start start, AutoCloseable stop) {}

  private final List<Component> components;
  private State state = State.NEW;

  private Lifecycle(List<Component> components) {
    this.components = List.copyOf(components);
  }

  /** A lifecycle with no component yet; add them in the order they start. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Starts each component in the declared order.
   *
   * @throws IllegalStateException when already started or stopped
   * @throws RuntimeException what a component's start threw (a checked exception wrapped in an
   *     {@link IllegalStateException}), after every component was stopped
   */
  synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("the lifecycle was already " + state.name().toLowerCase());
    }
    state = State.STARTED;
    for (Component component : components) {
      try {
        component.start().start();
      } catch (RuntimeException e) {
        stop();
        throw e;
      } catch (Exception e) {
        stop();
        throw new IllegalStateException(
            component.name() + " could not start: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Stops every component, last declared first; a component whose stop fails is logged and the
   * others still stop. Does its work once: later calls return at once.
   *
   * @return the names of the components whose stop failed, in the order they were stopped
   */
  synchronized List<String> stop() {
    if (state == State.STOPPED) {
      return List.of();
    }
    state = State.STOPPED;
    List<String> failed = new ArrayList<>();
    for (int i = components.size() - 1; i >= 0; i--) {
      Component component = components.get(i);
      try {
        component.stop().close();
      } catch (InterruptedException e) {
        // Stopping goes on: what remains must still be released; the caller sees the interrupt.
        Thread.currentThread().interrupt();
        failed.add(component.name());
        LOG.log(Level.WARNING, "stopping " + component.name() + " was interrupted", e);
      } catch (Exception e) {
        failed.add(component.name());
        LOG.log(Level.WARNING, "stopping " + component.name() + " failed", e);
      }
    }
    return List.copyOf(failed);
  }

  /** Declares the components of a {@link Lifecycle}, in the order they start. */
  static final class Builder {
    private final List<Component> components = new ArrayList<>();

    private Builder() {}

    /** Adds a component that has nothing to start (it was built ready) and {@code stop} to stop. */
    Builder add(String name, AutoCloseable stop) {
      return add(name, () -> {}, stop);
    }

    /** Adds a component that starts with {@code start} and stops with {@code stop}. */
    Builder add(String name, Start start, AutoCloseable stop) {
      requireNonNull(name, "name is null");
      requireNonNull(start, "start is null");
      requireNonNull(stop, "stop is null");
      if (components.stream().anyMatch(component -> component.name().equals(name))) {
        throw new IllegalArgumentException("a component named " + name + " was already added");
      }
      components.add(new Component(name, start, stop));
      return this;
    }

    Lifecycle build() {
      return new Lifecycle(components);
    }
  }
}
