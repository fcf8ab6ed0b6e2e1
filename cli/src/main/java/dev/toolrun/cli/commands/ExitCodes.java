package dev.toolrun.cli.commands;

/**
 * The CLI's exit codes. {@code run --wait} and {@code run --follow} exit as the run ended ({@link
 * RunOutcome}); every other command exits {@link #OK} or with one of the error codes. A tool's own
 * exit code may be any of 1 to 255, so it may coincide with one of these: {@code toolrun get ID}
 * tells them apart.
 */
public final class ExitCodes {
  /** Done; for a run: SUCCEEDED (or a service SERVING, or STOPPED). */
  public static final int OK = 0;

  /** Usage: an unknown option, a malformed {@code -p}, an unreadable file, a bad URL or config. */
  public static final int USAGE = 64;

  /** The server answered with an error; its code and message were printed. */
  public static final int API_ERROR = 65;

  /** The server could not be reached at the URL printed. */
  public static final int UNREACHABLE = 69;

  /** A bug in the CLI (an answer it did not expect); the message says what. */
  public static final int INTERNAL = 70;

  /** The run ended TIMED_OUT (as timeout(1) exits). */
  public static final int TIMED_OUT = 124;

  /** The run ended FAILED for another reason than its own non-zero exit code (see its failure). */
  public static final int FAILED = 125;

  /** The run ended CANCELLED (128 + SIGINT, as an interrupted command exits). */
  public static final int CANCELLED = 130;

  private ExitCodes() {}
}
