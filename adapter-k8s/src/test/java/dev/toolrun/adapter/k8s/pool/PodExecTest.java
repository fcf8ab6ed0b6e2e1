package dev.toolrun.adapter.k8s.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The exit code of an exec, read from the status the API server sends (kube-local's, 1.20). */
class PodExecTest {
  @Test
  void successIsZero() {
    assertThat(PodExec.exitCode("{\"metadata\":{},\"status\":\"Success\"}")).isZero();
  }

  @Test
  void aNonZeroExitNamesItsCode() {
    assertThat(
            PodExec.exitCode(
                "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with"
                    + " non-zero exit code: error executing command [sh -c exit 3], exit code"
                    + " 3\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":"
                    + "\"ExitCode\",\"message\":\"3\"}]}}"))
        .isEqualTo(3);
  }

  @Test
  void anyOtherFailureIsMinusOne() {
    assertThat(
            PodExec.exitCode(
                "{\"status\":\"Failure\",\"message\":\"container not found\",\"reason\":\"x\"}"))
        .isEqualTo(-1);
  }
}
