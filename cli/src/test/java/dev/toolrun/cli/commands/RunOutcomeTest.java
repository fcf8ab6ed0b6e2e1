package dev.toolrun.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.cli.json.Documents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exit code of a settled run, for every way the API says a run ended. The in-memory server
 * cannot be made to fail a run from outside, so the failures are pinned down here on the API's JSON
 * (the shapes of openapi.yaml's Instance and Failure).
 */
class RunOutcomeTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"state\": \"SUCCEEDED\", \"exitCode\": 0}                                               "
            + "    | 0",
        "{\"state\": \"SERVING\"}                                                                  "
            + "    | 0",
        "{\"state\": \"STOPPED\"}                                                                  "
            + "    | 0",
        "{\"state\": \"FAILED\", \"exitCode\": 3, \"failure\": {\"kind\": \"EXITED_NON_ZERO\","
            + " \"exitCode\": 3}} | 3",
        "{\"state\": \"FAILED\", \"failure\": {\"kind\": \"EXITED_NON_ZERO\", \"exitCode\": 1}}    "
            + "    | 1",
        "{\"state\": \"FAILED\", \"exitCode\": 255, \"failure\": {\"kind\": \"EXITED_NON_ZERO\"}}  "
            + "     | 255",
        "{\"state\": \"FAILED\", \"exitCode\": 300, \"failure\": {\"kind\": \"EXITED_NON_ZERO\"}}  "
            + "     | 125",
        "{\"state\": \"FAILED\", \"failure\": {\"kind\": \"EXITED_NON_ZERO\"}}                     "
            + "    | 125",
        "{\"state\": \"FAILED\", \"exitCode\": 137, \"failure\": {\"kind\": \"OUT_OF_MEMORY\"}}    "
            + "     | 125",
        "{\"state\": \"FAILED\", \"failure\": {\"kind\": \"IMAGE_PULL_FAILED\"}}                   "
            + "    | 125",
        "{\"state\": \"FAILED\", \"failure\": {\"kind\": \"HEALTH_CHECK_FAILED\"}}                 "
            + "    | 125",
        "{\"state\": \"TIMED_OUT\", \"failure\": {\"kind\": \"DEADLINE_EXCEEDED\"}}                "
            + "    | 124",
        "{\"state\": \"CANCELLED\", \"failure\": {\"kind\": \"CANCELLED\"}}                        "
            + "    | 130"
      })
  void mapsTheEndOfARunToTheExitCode(String instance, int exitCode) {
    assertThat(RunOutcome.exitCode(Documents.JSON.readTree(instance))).isEqualTo(exitCode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PENDING", "CREATING", "STARTING", "RUNNING", "STOPPING"})
  void aRunStillGoingIsNotSettledAndHasNoExitCode(String state) {
    var instance = Documents.JSON.readTree("{\"state\": \"" + state + "\"}");

    assertThat(RunOutcome.isSettled(instance)).isFalse();
    assertThat(RunOutcome.isTerminal(state)).isFalse();
    assertThatThrownBy(() -> RunOutcome.exitCode(instance)).hasMessageContaining("still " + state);
  }

  @Test
  void aServingServiceIsSettledButNotTerminal() {
    assertThat(RunOutcome.isSettled(Documents.JSON.readTree("{\"state\": \"SERVING\"}"))).isTrue();
    assertThat(RunOutcome.isTerminal("SERVING")).isFalse();
  }

  @Test
  void theRunsOwnCodesAreDistinctFromEachOtherAndFromTheErrors() {
    assertThat(
            java.util.Set.of(
                ExitCodes.OK,
                ExitCodes.USAGE,
                ExitCodes.API_ERROR,
                ExitCodes.UNREACHABLE,
                ExitCodes.INTERNAL,
                ExitCodes.TIMED_OUT,
                ExitCodes.FAILED,
                ExitCodes.CANCELLED))
        .hasSize(8);
  }
}
