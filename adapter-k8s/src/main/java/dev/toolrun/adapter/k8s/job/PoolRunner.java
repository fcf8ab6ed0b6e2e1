package dev.toolrun.adapter.k8s.job;

import java.util.ArrayList;
import java.util.List;

/**
 * The two pieces of {@code sh} that make a warm pool pod: the runner that its container starts
 * with, and the command a claim executes in it. Both are plain POSIX shell, present in busybox and
 * in every interpreter image toolrun runs scripts in.
 *
 * <p>The runner is PID 1. It makes two FIFOs and blocks reading one (no polling, no CPU), so the
 * claim wakes it at once; it then reads the claim's environment file (the instance's id and its
 * secret values), removes it, and runs exactly the command a cold run's container runs, as its
 * child: the container's output is the tool's log, the tool's exit code the container's (the runner
 * exits with it), and its termination message file its result, as in a cold run. Once the tool has
 * ended, the runner writes its exit code and termination message (the last 4096 bytes, as the
 * kubelet keeps them) into the second FIFO, which the claim's exec reads and prints: toolrun learns
 * the end a second sooner than from the kubelet, whose report of a container's end waits for its
 * next relist (every second on Kubernetes 1.20). The FIFO is opened read-write, so the runner never
 * waits for a reader that is gone.
 *
 * <p>What differs from a cold run because the tool is not PID 1: a TERM, INT, HUP or QUIT the
 * runner gets (a cancel or the Job's deadline deletes the pod: the kubelet sends TERM) is passed on
 * to the tool, which then acts on it as any process does: with TERM's default disposition it ends
 * at once (exit code 143), where as PID 1 the kernel would have kept a signal of default
 * disposition from it, and the kubelet would have killed it at the end of the grace period (137).
 * INT and QUIT reach the tool ignored ({@code sh} starts a background child with both ignored, and
 * cannot undo it): a tool that sets its own handler still gets them, but Python's default
 * KeyboardInterrupt is not installed.
 *
 * <p>The claim's files arrive as one tar stream on the exec's standard input, read to the length
 * sent before it ({@code head -c}): the exec protocol of older servers cannot close standard input,
 * so the length, not an end of file, ends the stream. Secret values thus travel only in the exec's
 * request body, never in its URL, the pod's spec or a log.
 */
public final class PoolRunner {
  /** Where a claim's per-run files go: the environment file and the FIFOs. */
  public static final String CLAIM_DIR = "/toolrun/claim";

  static final String CLAIM_VOLUME = "toolrun-claim";

  /**
   * The directory a claim's tar stream is unpacked in: it holds {@code input/} and {@code claim/}.
   */
  static final String ROOT = "/toolrun";

  static final String ENV_FILE = "claim/env";

  /** The exit code of a runner that could not make its FIFO (the pool replaces the pod). */
  static final int NO_FIFO = 121;

  /** The line the delivery prints once it woke the runner: the run is delivered. */
  public static final String DELIVERED = "toolrun-delivered";

  /**
   * The word the delivery's end report starts with: {@code toolrun-ended <exit code> <n>}, a
   * newline, then the {@code n} bytes of the termination message file (the last {@link
   * JobFactory#RESULT_MAX_BYTES} at most, as the kubelet keeps them).
   */
  public static final String ENDED = "toolrun-ended";

  private static final String GO = CLAIM_DIR + "/go";
  private static final String END = CLAIM_DIR + "/end";
  private static final String ACK = CLAIM_DIR + "/ack";

  // The tool runs as the runner's child, not in its place: the runner waits for it, then writes
  // its exit code and termination message into the end FIFO, for the delivery's exec to read. The
  // FIFO is opened read-write, so neither the open nor the write (a few KB, within the pipe's
  // buffer) ever blocks without a reader. Trapped signals are passed on to the tool; a trapped
  // signal interrupts wait, so it waits again until the tool is really gone (a zombie still
  // answers kill -0, so its own exit code is the one waited for).
  private static final String RUNNER =
      "mkfifo "
          + END
          + " "
          + ACK
          + " && mkfifo "
          + GO
          + " || exit "
          + NO_FIFO
          + "\n"
          + "read -r _ < "
          + GO
          + "\n"
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
          + "child=\n"
          + "for s in TERM INT HUP QUIT; do trap \"[ -n \\\"\\$child\\\" ] && kill -$s \\$child"
          + " 2>/dev/null\" $s; done\n"
          + "\"$@\" &\n"
          + "child=$!\n"
          + "while :; do\n"
          + "  wait $child\n"
          + "  code=$?\n"
          + "  kill -0 $child 2>/dev/null || break\n"
          + "done\n"
          // Reaped while a signal interrupted wait: its status is still there to be waited for.
          + "wait $child 2>/dev/null\n"
          + "last=$?\n"
          + "[ $last -ne 127 ] && code=$last\n"
          // Opened before the report is written, so the delivery's acknowledgement cannot miss it.
          + "exec 4<> "
          + ACK
          + "\n"
          + "tail -c "
          + JobFactory.RESULT_MAX_BYTES
          + " "
          + JobFactory.RESULT_FILE
          + " > "
          + CLAIM_DIR
          + "/result 2>/dev/null\n"
          + "n=$(wc -c < "
          + CLAIM_DIR
          + "/result)\n"
          + "{ echo $code; echo $n; cat "
          + CLAIM_DIR
          + "/result; } 1<> "
          + END
          + "\n"
          // The container's end kills the delivery's exec with it: wait until it has printed the
          // report, but never longer than a second (it may be gone).
          + "( sleep 1; echo timeout >&4 ) > /dev/null 2>&1 &\n"
          + "timer=$!\n"
          + "read -r _ <&4\n"
          + "kill $timer 2>/dev/null\n"
          + "exit $code\n";

  // The length comes first, as a line: the exec is opened before the claim knows it. Only a whole
  // stream that held the environment file wakes the runner: an exec that ends before it was sent
  // anything (its claim went elsewhere, its connection broke) leaves the runner waiting. The end
  // FIFO is opened before the runner is woken (read-write: the open does not wait for a writer),
  // so a tool that ends at once still finds a reader for its report.
  private static final String DELIVER =
      "while [ ! -p "
          + GO
          + " ]; do sleep 0.01; done\n"
          + "read -r n || exit 1\n"
          + "head -c \"$n\" | tar -xf - -C "
          + ROOT
          + " && [ -f "
          + ROOT
          + "/"
          + ENV_FILE
          + " ] || exit 1\n"
          + "exec 3<> "
          + END
          + "\n"
          + "echo go > "
          + GO
          + " || exit 1\n"
          + "echo "
          + DELIVERED
          + "\n"
          + "read -r code <&3 && read -r n <&3 || exit 1\n"
          + "echo "
          + ENDED
          + " $code $n\n"
          + "head -c \"$n\" <&3\n"
          + "echo printed 1<> "
          + ACK
          + "\n";

  private PoolRunner() {}

  /** The runner's script, as its container's {@code sh -c} runs it. */
  static String runner() {
    return RUNNER;
  }

  /** The container command of a pool pod whose tool, once claimed, runs {@code coldCommand}. */
  static List<String> command(List<String> coldCommand) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", RUNNER, "toolrun-runner"));
    command.addAll(coldCommand);
    return command;
  }

  /**
   * The command a claim executes in the pool pod: it waits for the claim's {@link #framed} tar
   * stream on its standard input, unpacks it, wakes the runner and prints {@link #DELIVERED}; then
   * it waits until the tool has ended, prints the runner's report ({@link #ENDED}) and exits.
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
