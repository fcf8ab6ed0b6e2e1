package dev.toolrun.adapter.k8s.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.k8s.job.PoolRunner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A delivery's exec session fed the frames a real exec sends, one at a time: one moment when the
 * delivery says the run is delivered, a later one when the runner's report of the tool's end has
 * come whole (its header and message in separate frames), and both failed when the exec ends before
 * them.
 */
class PodExecSessionTest {
  private static ByteBuffer frame(int channel, String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(bytes.length + 1).put((byte) channel).put(bytes).flip();
  }

  @Test
  void theDeliveredMomentComesBeforeTheEnd() {
    PodExec.Session session = new PodExec.Session("p");

    assertThat(session.receive(frame(1, PoolRunner.DELIVERED + "\n"))).isFalse();
    assertThat(session.delivered()).isCompleted();
    assertThat(session.ended()).isNotDone();

    // What the tool writes on standard error is the container's log, never the exec's; a stray
    // frame on it changes nothing.
    session.receive(frame(2, "warning\n"));
    session.receive(frame(1, PoolRunner.ENDED + " 0 11\n"));
    assertThat(session.ended()).isNotDone();
    session.receive(frame(1, "{\"ok\":"));
    assertThat(session.ended()).isNotDone();
    session.receive(frame(1, "true}"));

    assertThat(session.ended())
        .isCompletedWithValue(new DeliveryOutput.End(0, Optional.of("{\"ok\":true}")));
    assertThat(session.receive(frame(3, "{\"status\":\"Success\"}"))).isTrue();
    assertThat(session.outcome()).isCompleted();
  }

  @Test
  void anExecThatEndsBeforeItDeliveredFailsBothMoments() {
    PodExec.Session session = new PodExec.Session("p");

    session.receive(frame(2, "tar: short read\n"));
    session.receive(
        frame(
            3,
            "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
                + "[{\"reason\":\"ExitCode\",\"message\":\"1\"}]}}"));

    assertThat(session.delivered()).isCompletedExceptionally();
    assertThat(session.ended()).isCompletedExceptionally();
    assertThat(session.outcome().join().exitCode()).isEqualTo(1);
  }

  @Test
  void anExecThatEndsAfterTheDeliveryButBeforeTheReportFailsOnlyTheEnd() {
    PodExec.Session session = new PodExec.Session("p");

    session.receive(frame(1, PoolRunner.DELIVERED + "\n"));
    session.close();

    assertThat(session.delivered()).isCompleted();
    assertThat(session.ended()).isCompletedExceptionally();
  }
}
