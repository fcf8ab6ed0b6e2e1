package dev.toolrun.cli;

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
import java.util.List;
import java.util.Map;

/**
 * The real toolrun server, as its users start it: {@code java -jar app/target/toolrun.jar} with the
 * in-memory runtime, on a free port of 127.0.0.1, in a process of its own. Its runs take {@link
 * #STEP_DELAY_MS} per step (a default run has six: RUNNING, four log lines, the end, so about 1.5
 * s), which makes a tool with {@code timeoutSeconds: 1} end TIMED_OUT every time: the deadline
 * counts from the launch and a late step only comes later.
 */
public final class RunningServer implements AutoCloseable {
  public static final String TOKEN = "cli-test-token";
  public static final int STEP_DELAY_MS = 250;

  private final Process process;
  private final int port;
  private final Path log;

  private RunningServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the server with the in-memory runtime and waits until it is ready. */
  public static RunningServer start() {
    return start(Map.of());
  }

  /**
   * Starts the server with {@code environment} added to (and overriding) the test's own settings,
   * e.g. the Kubernetes runtime's, and waits until it is ready.
   */
  public static RunningServer start(Map<String, String> environment) {
    Path jar = Path.of(System.getProperty("toolrun.server.jar", "../app/target/toolrun.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: build it first (mvn -pl cli -am verify does)");
    }
    int port = freePort();
    Path log;
    Process process;
    try {
      Files.createDirectories(Path.of("target"));
      log = Files.createTempFile(Path.of("target"), "toolrun-server-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(
              List.of(
                  ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString()));
      builder.environment().put("TOOLRUN_HTTP_PORT", Integer.toString(port));
      builder.environment().put("TOOLRUN_HTTP_HOST", "127.0.0.1");
      builder.environment().put("TOOLRUN_AUTH_TOKEN", TOKEN);
      builder.environment().put("TOOLRUN_IN_MEMORY_STEP_DELAY_MS", Integer.toString(STEP_DELAY_MS));
      builder.environment().putAll(environment);
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RunningServer server = new RunningServer(process, port, log);
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "toolrun exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
              }
              return http.send(
                          HttpRequest.newBuilder(URI.create(server.url() + "/health/ready"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .statusCode()
                  == 200;
            });
    return server;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path log() {
    return log;
  }

  /** Stops the server as a supervisor would (SIGTERM: its shutdown hook runs). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A port nothing listens on (for the unreachable server). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
