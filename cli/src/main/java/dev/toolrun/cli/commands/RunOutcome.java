package dev.toolrun.cli.commands;

import tools.jackson.databind.JsonNode;

/** How a run's state maps to the CLI's exit code, and which states a wait stops at. */
public final class RunOutcome {
  private RunOutcome() {}

  /** Whether {@code state} is final: the instance will not change any more. */
  public static boolean isTerminal(String state) {
    return switch (state) {
      case "SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "STOPPED" -> true;
      default -> false;
    };
  }

  /** Whether {@code run --wait} stops waiting: the run ended, or a service began to serve. */
  public static boolean isSettled(JsonNode instance) {
    String state = instance.path("state").asString("");
    return isTerminal(state) || state.equals("SERVING");
  }

  /**
   * The exit code for {@code instance} once settled: 0 when it SUCCEEDED, is SERVING or STOPPED;
   * the tool's own exit code when it exited non-zero with one (1 to 255); {@link
   * ExitCodes#TIMED_OUT}, {@link ExitCodes#CANCELLED}; {@link ExitCodes#FAILED} for every other
   * failure.
   */
  public static int exitCode(JsonNode instance) {
    String state = instance.path("state").asString("");
    return switch (state) {
      case "SUCCEEDED", "SERVING", "STOPPED" -> ExitCodes.OK;
      case "TIMED_OUT" -> ExitCodes.TIMED_OUT;
      case "CANCELLED" -> ExitCodes.CANCELLED;
      case "FAILED" -> ownExitCode(instance);
      default ->
          throw new IllegalStateException(
              "the instance is still " + state + "; it has no outcome yet");
    };
  }

  private static int ownExitCode(JsonNode instance) {
    JsonNode failure = instance.path("failure");
    JsonNode code = instance.has("exitCode") ? instance.get("exitCode") : failure.path("exitCode");
    boolean exited = failure.path("kind").asString("").equals("EXITED_NON_ZERO");
    if (exited && code.isIntegralNumber() && code.asInt() >= 1 && code.asInt() <= 255) {
      return code.asInt();
    }
    return ExitCodes.FAILED;
  }
}
