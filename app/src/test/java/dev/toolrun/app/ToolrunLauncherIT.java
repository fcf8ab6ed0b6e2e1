package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/toolrun-server}, the launcher the README starts toolrun with, run as a user runs it
 * against the packaged jar: it makes a class-data archive at the first start, uses it from then on,
 * makes a new one for a rebuilt jar, and starts toolrun whatever happens to the archive. Whether a
 * start used the archive is read from the JVM's own class-load log ({@code -Xlog:class+load},
 * passed in {@code JAVA_OPTS}): a class from the archive is logged with the source {@code shared
 * objects file (top)}, the top layer being the application archive.
 */
class ToolrunLauncherIT {
  private static final Path LAUNCHER =
      Path.of("../bin/toolrun-server").toAbsolutePath().normalize();
  private static final Path JAR = Path.of("target/toolrun.jar").toAbsolutePath();
  private static final String FROM_THE_ARCHIVE =
      "dev.toolrun.app.Main source: shared objects file (top)";
  private static final String MAKING = "making a class-data archive";

  @TempDir Path work;
  private Process running;
  private Path output;

  @AfterEach
  void stop() throws InterruptedException {
    if (running != null) {
      running.descendants().forEach(ProcessHandle::destroyForcibly);
      running.destroyForcibly().waitFor();
    }
  }

  @Test
  void theFirstStartMakesTheArchiveAndUsesItAndTheNextOnlyUsesIt() throws Exception {
    Path archives = work.resolve("cds");

    Path firstLoads = work.resolve("first-loads.log");
    start(Map.of("TOOLRUN_CDS_DIR", archives.toString()), firstLoads);
    assertThat(output()).contains(MAKING);
    Path archive = onlyArchiveIn(archives);
    assertThat(Files.readString(firstLoads)).contains(FROM_THE_ARCHIVE);
    FileTime made = Files.getLastModifiedTime(archive);
    terminate();

    Path secondLoads = work.resolve("second-loads.log");
    start(Map.of("TOOLRUN_CDS_DIR", archives.toString()), secondLoads);
    assertThat(output()).doesNotContain(MAKING);
    assertThat(onlyArchiveIn(archives)).isEqualTo(archive);
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
    assertThat(Files.readString(secondLoads)).contains(FROM_THE_ARCHIVE);
  }

  @Test
  void aRebuiltJarGetsAnArchiveOfItsOwnAndTheStaleOneGoes() throws Exception {
    // A copy of the jar stands for a build: touching it is what a rebuild does to size and time.
    Path jar = Files.copy(JAR, work.resolve("toolrun.jar"));
    Path archives = work.resolve("cds");
    Map<String, String> settings =
        Map.of("TOOLRUN_JAR", jar.toString(), "TOOLRUN_CDS_DIR", archives.toString());
    start(settings, work.resolve("before-loads.log"));
    Path before = onlyArchiveIn(archives);
    terminate();

    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
    Path afterLoads = work.resolve("after-loads.log");
    start(settings, afterLoads);

    assertThat(output()).contains(MAKING);
    Path after = onlyArchiveIn(archives);
    assertThat(after).isNotEqualTo(before);
    assertThat(Files.readString(afterLoads)).contains(FROM_THE_ARCHIVE);
  }

  @Test
  void aTrainingThatDoesNotFinishLeavesNoArchiveAndToolrunStartsWithoutIt() throws Exception {
    Path archives = work.resolve("cds");
    Path loads = work.resolve("loads.log");
    // No time at all for the training: it is killed before it answers, as a hung one would be.
    start(
        Map.of("TOOLRUN_CDS_DIR", archives.toString(), "TOOLRUN_CDS_TRAINING_TIMEOUT", "0"), loads);

    assertThat(output()).contains("could not make the class-data archive");
    assertThat(filesIn(archives)).noneMatch(name -> name.endsWith(".jsa"));
    assertThat(filesIn(archives)).noneMatch(name -> name.endsWith(".partial"));
    assertThat(Files.readString(loads)).doesNotContain("shared objects file (top)");
  }

  @Test
  void anArchiveDirectoryThatCannotBeMadeStillStartsToolrun() throws Exception {
    Path notADirectory = Files.writeString(work.resolve("a-file"), "");
    start(Map.of("TOOLRUN_CDS_DIR", notADirectory.resolve("cds").toString()), null);

    assertThat(output()).contains("starting without a class-data archive");
  }

  @Test
  void stoppingTheLauncherDuringItsTrainingStopsTheTrainingToo() throws Exception {
    Path archives = work.resolve("cds");
    running = launcher(Map.of("TOOLRUN_CDS_DIR", archives.toString()), freePort(), null);
    // The training JVM, a child of the launcher's shell.
    ProcessHandle training =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    running
                        .descendants()
                        .filter(p -> p.info().command().orElse("").endsWith("/java"))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();

    running.destroy(); // SIGTERM, as a supervisor stops it
    assertThat(running.waitFor(30, TimeUnit.SECONDS)).isTrue();

    await().atMost(Duration.ofSeconds(10)).until(() -> !training.isAlive());
    assertThat(filesIn(archives)).noneMatch(name -> name.endsWith(".partial"));
    assertThat(filesIn(archives)).noneMatch(name -> name.endsWith(".jsa"));
  }

  /** Starts the launcher with these settings and waits until toolrun is ready. */
  private void start(Map<String, String> settings, Path classLoadLog) {
    int port = freePort();
    running = launcher(settings, port, classLoadLog);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              if (!running.isAlive()) {
                throw new IllegalStateException(
                    "the launcher exited with " + running.exitValue() + ":\n" + output());
              }
              return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
  }

  private Process launcher(Map<String, String> settings, int port, Path classLoadLog) {
    ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("TOOLRUN_") || name.equals("JAVA_OPTS"));
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("TOOLRUN_JAR", JAR.toString());
    environment.putAll(settings);
    environment.put("TOOLRUN_HTTP_HOST", "127.0.0.1");
    environment.put("TOOLRUN_HTTP_PORT", Integer.toString(port));
    environment.put("TOOLRUN_AUTH_TOKEN", "launcher-test");
    if (classLoadLog != null) {
      environment.put("JAVA_OPTS", "-Xlog:class+load:file=" + classLoadLog);
    }
    output = work.resolve("launcher-" + port + ".log");
    try {
      return builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM to toolrun's JVM: the launcher has exec'd it, so it is the process started. */
  private void terminate() throws InterruptedException {
    running.destroy();
    assertThat(running.waitFor(30, TimeUnit.SECONDS)).isTrue();
    running = null;
  }

  private String output() throws IOException {
    return Files.readString(output);
  }

  private static Path onlyArchiveIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> archives = files.filter(f -> f.toString().endsWith(".jsa")).toList();
      assertThat(archives).hasSize(1);
      assertThat(Files.size(archives.get(0))).isPositive();
      return archives.get(0);
    }
  }

  private static List<String> filesIn(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).toList();
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
