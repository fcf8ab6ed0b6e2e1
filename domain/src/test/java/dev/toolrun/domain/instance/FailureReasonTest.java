package dev.toolrun.domain.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FailureReasonTest {

  @Test
  void aRunOfOneProcessSaysHowItExited() {
    assertThat(new FailureReason.ExitedNonZero(3).message())
        .isEqualTo("the process exited with code 3");
    assertThat(new FailureReason.ExitedNonZero(3))
        .isEqualTo(new FailureReason.ExitedNonZero(3, 1, 1));
  }

  @Test
  void aRunOfSeveralProcessesSaysHowManyFailedAndHowTheFirstExited() {
    assertThat(new FailureReason.ExitedNonZero(3, 2, 3).message())
        .isEqualTo("2 of its 3 processes failed; the first exited with code 3");
  }

  @Test
  void moreFailedProcessesThanTheRunHadAreRefused() {
    assertThatThrownBy(() -> new FailureReason.ExitedNonZero(3, 4, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("4 of 3 processes cannot have failed");
    assertThatThrownBy(() -> new FailureReason.ExitedNonZero(3, 0, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
