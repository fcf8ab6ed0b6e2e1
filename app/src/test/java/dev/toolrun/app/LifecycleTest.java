package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  private Lifecycle.Builder component(Lifecycle.Builder builder, String name) {
    return builder.add(name, () -> events.add("start " + name), () -> events.add("stop " + name));
  }

  private Lifecycle threeComponents() {
    Lifecycle.Builder builder = Lifecycle.builder();
    component(builder, "a");
    component(builder, "b");
    component(builder, "c");
    return builder.build();
  }

  @Test
  void startsInTheDeclaredOrderAndStopsInTheReverseOrder() {
    Lifecycle lifecycle = threeComponents();

    lifecycle.start();
    assertThat(events).containsExactly("start a", "start b", "start c");
    assertThat(lifecycle.stop()).isEmpty();

    assertThat(events)
        .containsExactly("start a", "start b", "start c", "stop c", "stop b", "stop a");
  }

  @Test
  void stoppingTwiceStopsEachComponentOnce() {
    Lifecycle lifecycle = threeComponents();
    lifecycle.start();

    lifecycle.stop();
    lifecycle.stop();

    assertThat(events).filteredOn(event -> event.startsWith("stop")).hasSize(3);
  }

  @Test
  void aFailingStopIsReportedAndTheOthersStillStop() {
    Lifecycle.Builder builder = Lifecycle.builder();
    component(builder, "a");
    builder.add(
        "broken",
        () -> {
          throw new IOException("disk gone");
        });
    builder.add(
        "crashing",
        () -> {
          throw new IllegalStateException("bug");
        });
    component(builder, "c");
    Lifecycle lifecycle = builder.build();
    lifecycle.start();

    List<String> failed = lifecycle.stop();

    assertThat(failed).containsExactly("crashing", "broken");
    assertThat(events).containsExactly("start a", "start c", "stop c", "stop a");
  }

  @Test
  void anInterruptedStopStillStopsTheRestAndKeepsTheInterrupt() {
    Lifecycle.Builder builder = Lifecycle.builder();
    component(builder, "a");
    builder.add(
        "waiting",
        () -> {
          throw new InterruptedException();
        });
    Lifecycle lifecycle = builder.build();

    try {
      assertThat(lifecycle.stop()).containsExactly("waiting");
      assertThat(events).containsExactly("stop a");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aFailedStartStopsEverythingAndRethrowsTheComponentsOwnException() {
    Lifecycle.Builder builder = Lifecycle.builder();
    component(builder, "a");
    IllegalStateException refusal = new IllegalStateException("no cluster");
    builder.add(
        "refusing",
        () -> {
          events.add("start refusing");
          throw refusal;
        },
        () -> events.add("stop refusing"));
    component(builder, "c");
    Lifecycle lifecycle = builder.build();

    assertThatThrownBy(lifecycle::start).isSameAs(refusal);

    // c never started, but it was built: it is stopped as well, so nothing it holds leaks.
    assertThat(events)
        .containsExactly("start a", "start refusing", "stop c", "stop refusing", "stop a");
    assertThat(lifecycle.stop()).isEmpty();
    assertThat(events).hasSize(5);
  }

  @Test
  void aCheckedExceptionFromAStartNamesTheComponent() {
    Lifecycle lifecycle =
        Lifecycle.builder()
            .add(
                "the port",
                () -> {
                  throw new IOException("address in use");
                },
                () -> events.add("stop the port"))
            .build();

    assertThatThrownBy(lifecycle::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the port could not start: address in use")
        .hasCauseInstanceOf(IOException.class);
    assertThat(events).containsExactly("stop the port");
  }

  @Test
  void aLifecycleStopsWithoutHavingStartedAndThenCannotStart() {
    Lifecycle lifecycle = threeComponents();

    lifecycle.stop();

    assertThat(events).containsExactly("stop c", "stop b", "stop a");
    assertThatThrownBy(lifecycle::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the lifecycle was already stopped");
    assertThat(events).hasSize(3);
  }

  @Test
  void aLifecycleStartsOnce() {
    Lifecycle lifecycle = threeComponents();
    lifecycle.start();

    assertThatThrownBy(lifecycle::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the lifecycle was already started");
    assertThat(events).containsExactly("start a", "start b", "start c");
    lifecycle.stop();
  }

  @Test
  void twoComponentsCannotShareAName() {
    Lifecycle.Builder builder = Lifecycle.builder();
    component(builder, "a");

    assertThatThrownBy(() -> component(builder, "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a component named a was already added");
  }
}
