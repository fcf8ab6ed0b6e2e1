package dev.toolrun.adapter.k8s.job;

import java.util.ArrayList;
import java.util.List;

/**
 * The two pieces of {@code sh} that make a warm pool pod: the runner that its container starts
 * with, and the command a claim executes in it. Both are plain POSIX shell, present in busybox and
 * in every interpreter image toolrun runs scripts in.
 *
 * <p>The runner is PID 1. It makes a FIFO and blocks reading it (no polling, no CPU), so the claim
 * wakes it at once; it then reads the claim's environment file (the instance's id and its secret
 * values), removes it, and {@code exec}s exactly the command a cold run's container runs: from
 * there on the container's output is the tool's log, its exit code the Job's, and its termination
 * message file its result, as in a cold run.
 *
 * <p>The claim's files arrive as one tar stream on the exec's standard input, read to a known
 * length ({@code head -c}): the exec protocol of older servers cannot close standard input, so the
 * length, not an end of file, ends the stream. Secret values thus travel only in the exec's request
 * body, never in its URL, the pod's spec or a log.
 */
public final class PoolRunner {
  /** Where a claim's per-run files go: the environment file and the FIFO. */
  public static final String CLAIM_DIR = "/toolrun/claim";

  static final String CLAIM_VOLUME = "toolrun-claim";

  /**
   * The directory a claim's tar stream is unpacked in: it holds {@code input/} and {@code claim/}.
   */
  static final String ROOT = "/toolrun";

  static final String ENV_FILE = "claim/env";

  /** The exit code of a runner that could not make its FIFO (the pool replaces the pod). */
  static final int NO_FIFO = 121;

  private static final String RUNNER =
      "mkfifo "
          + CLAIM_DIR
          + "/go || exit "
          + NO_FIFO
          + "\n"
          + "read -r _ < "
          + CLAIM_DIR
          + "/go\n"
          + ". "
          + ROOT
          + "/"
          + ENV_FILE
          + "\n"
          + "rm -f "
          + ROOT
          + "/"
          + ENV_FILE
          + "\n"
          + "exec \"$@\"\n";

  private static final String DELIVER =
      "while [ ! -p "
          + CLAIM_DIR
          + "/go ]; do sleep 0.01; done\n"
          + "head -c \"$1\" | tar -xf - -C "
          + ROOT
          + " && echo go > "
          + CLAIM_DIR
          + "/go\n";

  private PoolRunner() {}

  /** The container command of a pool pod whose tool, once claimed, runs {@code coldCommand}. */
  static List<String> command(List<String> coldCommand) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", RUNNER, "toolrun-runner"));
    command.addAll(coldCommand);
    return command;
  }

  /** The command a claim executes in the pool pod, to unpack {@code bytes} of tar and wake it. */
  public static String[] deliver(int bytes) {
    return new String[] {"sh", "-c", DELIVER, "toolrun-claim", Integer.toString(bytes)};
  }
}
