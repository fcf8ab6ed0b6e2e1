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
 * <p>The claim's files arrive as one tar stream on the exec's standard input, read to the length
 * sent before it ({@code head -c}): the exec protocol of older servers cannot close standard input,
 * so the length, not an end of file, ends the stream. Secret values thus travel only in the exec's
 * request body, never in its URL, the pod's spec or a log.
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

  // The length comes first, as a line: the exec is opened before the claim knows it. Only a whole
  // stream that held the environment file wakes the runner: an exec that ends before it was sent
  // anything (its claim went elsewhere, its connection broke) leaves the runner waiting.
  private static final String DELIVER =
      "while [ ! -p "
          + CLAIM_DIR
          + "/go ]; do sleep 0.01; done\n"
          + "read -r n || exit 1\n"
          + "head -c \"$n\" | tar -xf - -C "
          + ROOT
          + " && [ -f "
          + ROOT
          + "/"
          + ENV_FILE
          + " ] && echo go > "
          + CLAIM_DIR
          + "/go\n";

  private PoolRunner() {}

  /** The container command of a pool pod whose tool, once claimed, runs {@code coldCommand}. */
  static List<String> command(List<String> coldCommand) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", RUNNER, "toolrun-runner"));
    command.addAll(coldCommand);
    return command;
  }

  /**
   * The command a claim executes in the pool pod: it waits for the claim's {@link #framed} tar
   * stream on its standard input, unpacks it and wakes the runner.
   */
  public static String[] deliver() {
    return new String[] {"sh", "-c", DELIVER, "toolrun-claim"};
  }

  /** {@code tar} as {@link #deliver} reads it: its length as a line of digits, then the stream. */
  public static byte[] framed(byte[] tar) {
    byte[] header = (tar.length + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] framed = new byte[header.length + tar.length];
    System.arraycopy(header, 0, framed, 0, header.length);
    System.arraycopy(tar, 0, framed, header.length, tar.length);
    return framed;
  }
}
