package dev.toolrun.domain.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogTailTest {
  @Test
  void aTailWithoutWordOfItsLogIsOfAnEndedLogWithNothingMissingAsOlderRecordsKeptIt() {
    LogTail tail = new LogTail(List.of("a", "b"), 10);

    assertThat(tail.ended()).isTrue();
    assertThat(tail.missing()).isEmpty();
    assertThat(tail.droppedLines()).isZero();
  }

  @Test
  void cutToFitATailSaysTheSameOfItsLog() {
    LogTail tail = new LogTail(List.of("a", "b", "c"), 10, 7, false, Optional.of("stream broke"));

    assertThat(tail.keepingLast(1))
        .isEqualTo(new LogTail(List.of("c"), 10, 7, false, Optional.of("stream broke")));
    assertThat(tail.keepingLast(0).lines()).isEmpty();
    assertThatThrownBy(() -> tail.keepingLast(4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyLinesBeforeTheTailCanHaveBeenDropped() {
    assertThatThrownBy(() -> new LogTail(List.of("a", "b"), 10, 9, true, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before the tail");
    assertThatThrownBy(() -> new LogTail(List.of(), 0, -1, true, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRunThatNeverStartedWroteAnEmptyEndedLog() {
    assertThat(LogTail.NONE_WRITTEN)
        .isEqualTo(new LogTail(List.of(), 0, 0, true, Optional.empty()));
  }
}
