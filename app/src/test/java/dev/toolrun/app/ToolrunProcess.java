package dev.toolrun.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * toolrun as its users run it, {@code java -jar app/target/toolrun.jar}, in a process of its own
 * that a test can kill like a crash would ({@code SIGKILL}: no shutdown hook runs).
 */
final class ToolrunProcess implements AutoCloseable {
  private static final Path JAR = Path.of("target/toolrun.jar");

  private final Map<String, String> environment;
  private final int port;
  private final Path log;
  private Process process;
  private Path logFile;
  // Numbers the log files of every start in this JVM, so no start overwrites another's log.
  private static final java.util.concurrent.atomic.AtomicInteger STARTS =
      new java.util.concurrent.atomic.AtomicInteger();

  ToolrunProcess(Map<String, String> environment, Path logDirectory) {
    this.port = freePort();
    this.environment = environment;
    this.log = logDirectory;
  }

  int port() {
    return port;
  }

  /** Starts the service and waits until it is ready (one of several replicas: maybe a standby). */
  ToolrunProcess start() {
    return start("/health/ready");
  }

  private ToolrunProcess start(String health) {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath() + " is missing: run the package phase first");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(JAR.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.environment().put("TOOLRUN_HTTP_PORT", Integer.toString(port));
    builder.environment().put("TOOLRUN_HTTP_HOST", "127.0.0.1");
    try {
      Files.createDirectories(log);
      logFile = log.resolve("toolrun-" + STARTS.incrementAndGet() + ".log");
      builder.redirectErrorStream(true).redirectOutput(logFile.toFile());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "toolrun exited with " + process.exitValue() + "; see " + log);
              }
              return http.send(
                          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + health))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .statusCode()
                  == 200;
            });
    return this;
  }

  /** The running service's process id, for tools that inspect it ({@code jcmd}, {@code /proc}). */
  long pid() {
    return process.pid();
  }

  /** What the running (or last) service has written to its log so far. */
  String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the service at once, as a crash or {@code kill -9} would. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the service as a supervisor does ({@code SIGTERM}: its shutdown hook runs) and waits
   * until it has exited; returns its exit code.
   */
  int terminate() {
    process.destroy();
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for toolrun to exit", e);
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
