package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogStore;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiveLogsTest {
  private static final InstanceId ID = new InstanceId("0193a9b2-7c1d-7aaa-8bbb-0123456789ab");

  @Test
  void everyMethodOfTheLogStoreIsDelegatedNotLeftToADefault() throws NoSuchMethodException {
    // A method added to LogStore, default or not, must be passed on to the store decorated.
    for (Method method : LogStore.class.getMethods()) {
      Method own = LiveLogs.class.getMethod(method.getName(), method.getParameterTypes());
      assertThat(own.getDeclaringClass()).as(method.toString()).isEqualTo(LiveLogs.class);
    }
  }

  @Test
  void aWakerRunsOnceAtTheNextChangeOfItsLog() {
    LiveLogs logs = LiveLogs.over(new InMemoryLogStore());
    AtomicInteger woken = new AtomicInteger();
    Runnable waker = woken::incrementAndGet;

    logs.awaitChange(ID, waker);
    logs.awaitChange(ID, waker);
    logs.append(ID, List.of("a"));
    logs.append(ID, List.of("b"));

    assertThat(woken).hasValue(1);
    assertThat(logs.read(ID, 0, 10).lines()).hasSize(2);
    logs.awaitChange(ID, waker);
    logs.complete(ID);
    assertThat(woken).hasValue(2);
    logs.awaitChange(ID, waker);
    logs.forget(ID, waker);
    logs.delete(ID);
    assertThat(woken).hasValue(2);
  }

  @Test
  void aStoreThatAlreadyWakesItsFollowersIsNotDecoratedTwice() {
    LiveLogs logs = LiveLogs.over(new InMemoryLogStore());

    assertThat(LiveLogs.over(logs)).isSameAs(logs);
  }
}
