package dev.toolrun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.cli.commands.ExitCodes;
import dev.toolrun.cli.json.Documents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The CLI against the real server (the packaged toolrun.jar, in-memory runtime), called in-process.
 * The server is shared by every test of the run, so each test names its own tools.
 */
@ExtendWith(ServerExtension.class)
class CliEndToEndTest {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String INTERVAL = "--interval=50ms";

  @TempDir Path home;
  @TempDir Path files;
  private RunningServer server;
  private Cli cli;

  @BeforeEach
  void connect(RunningServer server) {
    this.server = server;
    this.cli = Cli.of(server, home);
  }

  @Test
  void appliesAYamlToolFileAndAgainUnchanged() throws IOException {
    String name = uniqueName("yaml");
    Path file = write("tool.yaml", taskYaml(name, 60));

    Cli.Result first = cli.run("tools", "apply", "-f", file.toString());
    Cli.Result second = cli.run("tools", "apply", "-f", file.toString());

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).isEqualTo("tool " + name + ": version 1 registered\n");
    assertThat(second.out()).isEqualTo("tool " + name + ": unchanged (version 1)\n");
    JsonNode tool = json(cli.run("tools", "get", name, "-o", "json"));
    assertThat(tool.path("description").asString()).isEqualTo("A tool of " + name);
    assertThat(tool.path("spec").path("script").path("language").asString()).isEqualTo("shell");
  }

  @Test
  void appliesAJsonToolFileAndANewVersionWhenItChanged() throws IOException {
    String name = uniqueName("json");
    String json =
        """
        {"name": "%s", "description": "first",
         "spec": {"mode": "TASK", "image": {"name": "busybox:1"}}}
        """
            .formatted(name);
    cli.run("tools", "apply", "-f", write("tool.json", json).toString());

    Cli.Result changed =
        cli.run(
            "tools",
            "apply",
            "-f",
            write("tool2.json", json.replace("first", "second")).toString());

    assertThat(changed.exitCode()).as(changed.toString()).isZero();
    assertThat(changed.out()).isEqualTo("tool " + name + ": version 2 registered\n");
    assertThat(
            json(cli.run("tools", "get", name, "--version", "1", "-o", "json"))
                .path("description")
                .asString())
        .isEqualTo("first");
  }

  @Test
  void appliesToolsFromStandardInputAndWhatGetPrintsAsYaml() {
    String a = uniqueName("stdin-a");
    String b = uniqueName("stdin-b");

    Cli.Result applied =
        cli.runWithInput(taskYaml(a, 60) + "---\n" + taskYaml(b, 60), "tools", "apply", "-f", "-");
    String printed = cli.run("tools", "get", a, "-o", "yaml").out();
    Cli.Result again = cli.runWithInput(printed, "tools", "apply", "-f", "-");

    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    assertThat(applied.out())
        .contains("tool " + a + ": version 1 registered", "tool " + b + ": version 1 registered");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).isEqualTo("tool " + a + ": unchanged (version 1)\n");
  }

  @Test
  void listsShowsAndRemovesTools() throws IOException {
    String name = uniqueName("catalog");
    cli.run("tools", "apply", "-f", write("tool.yaml", taskYaml(name, 60)).toString());

    Cli.Result table = cli.run("tools", "ls");
    Cli.Result details = cli.run("tools", "get", name);
    JsonNode listed = json(cli.run("tools", "ls", "-o", "json"));
    Cli.Result removed = cli.run("tools", "rm", name);
    Cli.Result gone = cli.run("tools", "get", name);

    assertThat(table.out().lines().findFirst())
        .hasValue("NAME" + table.out().lines().findFirst().orElseThrow().substring(4));
    assertThat(table.out()).startsWith("NAME").contains(name + "  ").contains("A tool of " + name);
    assertThat(details.out())
        .contains("Name:", name, "Version:     1", "Mode:        TASK", "Spec:", "language: shell");
    assertThat(listed.isArray()).isTrue();
    assertThat(field(listed, "name")).contains(name);
    assertThat(removed.exitCode()).isZero();
    assertThat(removed.out()).isEqualTo("tool " + name + " removed\n");
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.API_ERROR);
    assertThat(gone.err()).startsWith("toolrun: TOOL_NOT_FOUND: ").contains(name, "(HTTP 404)");
  }

  @Test
  void runWaitSucceedsExitsZeroAndPrintsTheResult() throws IOException {
    String name = registered("ok", 60);

    Cli.Result run = cli.run("run", name, "-p", "who=Ada", "-p", "n:=3", "--wait", INTERVAL);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("State:", "SUCCEEDED", "Result:", "\"who\":\"Ada\"", "\"n\":3");
  }

  @Test
  void runFollowPrintsTheLogOnOutAndTheEndOnErr() throws IOException {
    String name = registered("follow", 60);

    Cli.Result run = cli.run("run", name, "-p", "who=Ada", "--follow", INTERVAL);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            "[in-memory runtime] running shell script main.sh (10 bytes)",
            "[in-memory runtime] nothing is executed: this runtime only plays the instance's"
                + " lifecycle",
            "[in-memory runtime] parameters: who",
            "[in-memory runtime] done");
    assertThat(run.err()).startsWith(name + " ").contains(" SUCCEEDED; result: ");
  }

  @Test
  void runWaitOfARunThatTimesOutExits124() throws IOException {
    String name = registered("slow", 1);

    Cli.Result run = cli.run("run", name, "--wait", INTERVAL);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TIMED_OUT);
    assertThat(run.out()).contains("TIMED_OUT", "DEADLINE_EXCEEDED");
  }

  @Test
  void runWaitOfARunThatIsCancelledExits130() throws IOException {
    String name = registered("cancelled", 60);
    CompletableFuture<Cli.Result> waiting =
        CompletableFuture.supplyAsync(() -> cli.run("run", name, "--wait", INTERVAL, "-o", "json"));
    String id =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> field(json(cli.run("ps", "--tool", name, "-o", "json")), "id"),
                ids -> ids.size() == 1)
            .get(0);

    Cli.Result cancel = cli.run("cancel", id);
    Cli.Result run = waiting.join();

    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).isEqualTo(id + " CANCELLED\n");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CANCELLED);
    assertThat(json(run).path("state").asString()).isEqualTo("CANCELLED");
  }

  @Test
  void runWithoutWaitPrintsTheIdAndSecretsAreNamedNeverShown() throws IOException {
    String name = uniqueName("secret");
    cli.run(
        "tools",
        "apply",
        "-f",
        write(
                "tool.yaml",
                taskYaml(name, 60)
                    .replace("  mode: TASK\n", "  mode: TASK\n  secretInputs: [API_KEY]\n"))
            .toString());
    Path secret = write("api-key", "s3cr3t-value\n");

    Cli.Result run = cli.run("run", name, "--secret", "API_KEY=@" + secret);
    String id = run.out().strip();
    Cli.Result done =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> cli.run("get", id), r -> r.out().contains("SUCCEEDED"));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(done.out())
        .contains("Secrets:", "API_KEY (values are never shown)")
        .doesNotContain("s3cr3t");
    assertThat(cli.run("logs", id).out())
        .contains("secret inputs: API_KEY")
        .doesNotContain("s3cr3t");
  }

  @Test
  void psFiltersByToolAndState() throws IOException {
    String a = registered("ps-a", 60);
    String b = registered("ps-b", 60);
    String first = cli.run("run", a, "--wait", INTERVAL, "-o", "json").out();
    String cancelled = cli.run("run", a).out().strip();
    cli.run("cancel", cancelled);
    cli.run("run", b, "--wait", INTERVAL);

    JsonNode ofA = json(cli.run("ps", "--tool", a, "-o", "json"));
    JsonNode succeededOfA = json(cli.run("ps", "--tool", a, "--state", "succeeded", "-o", "json"));
    JsonNode endedOfA =
        json(cli.run("ps", "--tool", a, "--state", "SUCCEEDED,CANCELLED", "-o", "json"));
    Cli.Result table = cli.run("ps", "--tool", b);

    assertThat(field(ofA, "tool")).containsOnly(a).hasSize(2);
    assertThat(field(succeededOfA, "id"))
        .containsExactly(Documents.JSON.readTree(first).path("id").asString());
    assertThat(field(endedOfA, "id")).hasSize(2).startsWith(cancelled);
    assertThat(table.out().lines().toList()).hasSize(2);
    assertThat(table.out()).startsWith("ID").contains(b, "SUCCEEDED").doesNotContain(a);
  }

  @Test
  void getPrintsAnInstanceAsDetailsJsonAndYaml() throws IOException {
    String name = registered("get", 60);
    String id = json(cli.run("run", name, "--wait", INTERVAL, "-o", "json")).path("id").asString();

    Cli.Result details = cli.run("get", id);
    JsonNode asJson = json(cli.run("get", id, "-o", "json"));
    JsonNode asYaml = Documents.YAML.readTree(cli.run("get", id, "-o", "yaml").out());

    assertThat(details.out())
        .contains(
            "ID:",
            id,
            "Tool:",
            name + " (version 1)",
            "State:",
            "SUCCEEDED",
            "History:",
            "  PENDING ");
    assertThat(asJson.path("id").asString()).isEqualTo(id);
    assertThat(asJson.path("history").size()).isGreaterThanOrEqualTo(5);
    assertThat(asYaml).isEqualTo(asJson);
  }

  @Test
  void logsPrintsTheLogAndFollowsARunningOneToItsEnd() throws IOException {
    String name = registered("logs", 60);
    String id = cli.run("run", name).out().strip();

    Cli.Result followed = cli.run("logs", "-f", id, INTERVAL);
    Cli.Result all = cli.run("logs", id);
    Cli.Result fromTwo = cli.run("logs", id, "--from", "2");
    Cli.Result asJson = cli.run("logs", id, "-o", "json");

    assertThat(followed.exitCode()).as(followed.toString()).isZero();
    assertThat(followed.out().lines()).hasSize(4).last().isEqualTo("[in-memory runtime] done");
    assertThat(all.out()).isEqualTo(followed.out());
    assertThat(fromTwo.out().lines()).hasSize(2).first().asString().contains("no parameters");
    assertThat(asJson.out().lines().map(line -> Documents.JSON.readTree(line).path("n").asInt()))
        .containsExactly(0, 1, 2, 3);
  }

  @Test
  void logsFollowResumesADroppedStreamWithoutLosingOrRepeatingALine() throws IOException {
    String name = registered("resumed", 60);
    String id = cli.run("run", name).out().strip();

    Cli.Result followed;
    try (CuttingProxy proxy = new CuttingProxy(server.url(), 1)) {
      followed = cli.with("TOOLRUN_URL", proxy.url()).run("logs", "-f", id, INTERVAL);
      assertThat(proxy.cuts()).as("streams cut").isEqualTo(1);
      assertThat(proxy.streams()).as("streams opened").isEqualTo(2);
    }
    Cli.Result all = cli.run("logs", id);

    assertThat(followed.exitCode()).as(followed.toString()).isZero();
    assertThat(followed.out()).isEqualTo(all.out());
    assertThat(followed.out().lines()).hasSize(4).doesNotHaveDuplicates();
  }

  @Test
  void callsAServiceAndStopsIt() {
    String name = uniqueName("service");
    cli.runWithInput(
        """
        name: %s
        spec:
          mode: SERVICE
          service: {port: 8000, healthIntervalMs: 100}
          image: {name: hello:1}
        """
            .formatted(name),
        "tools",
        "apply",
        "-f",
        "-");

    Cli.Result serving = cli.run("run", name, "--wait", INTERVAL, "-o", "json");
    String id = json(serving).path("id").asString();
    Cli.Result call =
        cli.run("call", id, "post", "/greet?name=Ada", "-d", "hi", "-H", "X-Test: yes");
    JsonNode envelope = json(cli.run("call", id, "GET", "/x", "-o", "json"));
    Cli.Result stop = cli.run("stop", id);

    assertThat(serving.exitCode()).as(serving.toString()).isZero();
    assertThat(json(serving).path("state").asString()).isEqualTo("SERVING");
    assertThat(call.exitCode()).as(call.toString()).isZero();
    JsonNode echo = Documents.JSON.readTree(call.out());
    assertThat(echo.path("method").asString()).isEqualTo("POST");
    assertThat(echo.path("path").asString()).isEqualTo("/greet?name=Ada");
    assertThat(echo.path("body").asString()).isEqualTo("hi");
    assertThat(echo.path("headers").path("x-test").toString()).contains("yes");
    assertThat(envelope.path("status").asInt()).isEqualTo(200);
    assertThat(stop.exitCode()).as(stop.toString()).isZero();
    assertThat(stop.out()).matches(id + " (STOPPING|STOPPED)\n");
  }

  @Test
  void anErrorOfTheServerPrintsItsCodeAndMessageAndDetails() {
    Cli.Result missing = cli.run("get", "01234567-89ab-cdef-0123-456789abcdef");
    Cli.Result invalid =
        cli.runWithInput(
            "name: %s\nspec: {mode: TASK, timeoutSeconds: 0, image: {name: x}}\n"
                .formatted(uniqueName("bad")),
            "tools",
            "apply",
            "-f",
            "-");
    Cli.Result refusedCancel = cli.run("stop", "not-an-id");

    assertThat(missing.exitCode()).isEqualTo(ExitCodes.API_ERROR);
    assertThat(missing.err()).startsWith("toolrun: INSTANCE_NOT_FOUND: ").endsWith("(HTTP 404)\n");
    assertThat(invalid.exitCode()).isEqualTo(ExitCodes.API_ERROR);
    assertThat(invalid.err())
        .startsWith("toolrun: VALIDATION_FAILED: ")
        .contains("\n  spec.timeoutSeconds: must be between 1 second and 7 days");
    assertThat(refusedCancel.exitCode()).isEqualTo(ExitCodes.API_ERROR);
    for (Cli.Result result : new Cli.Result[] {missing, invalid, refusedCancel}) {
      assertThat(result.err()).doesNotContain("Exception", "\tat ");
      assertThat(result.out()).isEmpty();
    }
  }

  @Test
  void aWrongTokenIsRefusedAndSaysWhereTheTokenCameFrom() {
    Cli.Result refused = cli.with("TOOLRUN_TOKEN", "wrong").run("ps");

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.API_ERROR);
    assertThat(refused.err())
        .startsWith("toolrun: UNAUTHORIZED: ")
        .contains("the token came from TOOLRUN_TOKEN");
  }

  @Test
  void anUnreachableServerIsNamed() {
    String url = "http://127.0.0.1:" + RunningServer.freePort();

    Cli.Result result = cli.run("--url", url, "ps");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(result.err())
        .isEqualTo(
            "toolrun: cannot reach toolrun at "
                + url
                + ": connection refused\n"
                + "  the URL came from --url; set it with --url or TOOLRUN_URL\n");
  }

  @Test
  void usageErrorsExit64BeforeAnythingIsSent() {
    Cli.Result badParameter = cli.run("run", "whatever", "-p", "novalue");
    Cli.Result badJson = cli.run("run", "whatever", "-p", "x:={");
    Cli.Result missingFile = cli.run("run", "whatever", "-p", "x=@" + files.resolve("nope.json"));
    Cli.Result unknownOption = cli.run("ps", "--bogus");
    Cli.Result badFormat = cli.run("ps", "-o", "xml");

    assertThat(badParameter.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badParameter.err())
        .isEqualTo("toolrun: -p 'novalue' is not key=value, key:=json or key=@file.json\n");
    assertThat(badJson.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badJson.err()).startsWith("toolrun: -p x:= is not valid JSON: ");
    assertThat(missingFile.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missingFile.err()).contains("no such file: ");
    assertThat(unknownOption.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknownOption.err())
        .contains("Unknown option: '--bogus'", "see 'toolrun ps --help'");
    assertThat(badFormat.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFormat.err()).isEqualTo("toolrun: -o must be table, json or yaml, not 'xml'\n");
  }

  @Test
  void anIdempotencyKeyLaunchesOnceAndVersionPicksAnOlderVersion() throws IOException {
    String name = registered("idem", 60);
    cli.run("tools", "apply", "-f", write("v2.yaml", taskYaml(name, 61)).toString());
    String key = "key-" + name;

    JsonNode first =
        json(cli.run("run", name, "--version", "1", "--idempotency-key", key, "-o", "json"));
    JsonNode again =
        json(cli.run("run", name, "--version", "1", "--idempotency-key", key, "-o", "json"));
    JsonNode latest = json(cli.run("run", name, "-o", "json"));

    assertThat(again.path("id").asString()).isEqualTo(first.path("id").asString());
    assertThat(first.path("toolVersion").asInt()).isEqualTo(1);
    assertThat(latest.path("toolVersion").asInt()).isEqualTo(2);
    assertThat(field(json(cli.run("ps", "--tool", name, "--limit", "0", "-o", "json")), "id"))
        .hasSize(2);
  }

  @Test
  void theConfigFileGivesUrlAndTokenAndTheEnvironmentAndFlagsBeatIt() throws IOException {
    Path config = Files.createDirectories(home.resolve(".config/toolrun")).resolve("config.yaml");
    Files.writeString(config, "url: " + server.url() + "\ntoken: " + RunningServer.TOKEN + "\n");
    Cli fromFile = Cli.withEnvironment(Map.of(), home);

    Cli.Result listed = fromFile.run("ps", "--limit", "1");
    Cli.Result wrongEnvironment = fromFile.with("TOOLRUN_TOKEN", "wrong").run("ps");
    Cli.Result wrongFlag =
        fromFile.run("--url", "http://127.0.0.1:" + RunningServer.freePort(), "ps");

    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    assertThat(listed.out()).startsWith("ID");
    assertThat(wrongEnvironment.exitCode()).isEqualTo(ExitCodes.API_ERROR);
    assertThat(wrongEnvironment.err())
        .contains("UNAUTHORIZED", "the token came from TOOLRUN_TOKEN");
    assertThat(wrongFlag.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
  }

  @Test
  void printsABashCompletionScript() {
    Cli.Result completion = cli.run("completion", "bash");

    assertThat(completion.exitCode()).isZero();
    assertThat(completion.out())
        .contains("complete -F", "_complete_toolrun", "tools", "logs", "cancel");
  }

  @Test
  void everyCommandSaysItsVersionAndHelp() {
    for (String[] command : new String[][] {{}, {"ps"}, {"tools", "apply"}}) {
      String[] version = Arrays.copyOf(command, command.length + 1);
      version[command.length] = "--version";
      String[] help = Arrays.copyOf(command, command.length + 1);
      help[command.length] = "--help";

      assertThat(cli.run(version).out()).startsWith("toolrun CLI ");
      assertThat(cli.run(help).out()).startsWith("Usage: toolrun");
    }
  }

  private String registered(String prefix, int timeoutSeconds) throws IOException {
    String name = uniqueName(prefix);
    Cli.Result applied =
        cli.run(
            "tools",
            "apply",
            "-f",
            write(name + ".yaml", taskYaml(name, timeoutSeconds)).toString());
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    return name;
  }

  private static String taskYaml(String name, int timeoutSeconds) {
    return """
    name: %s
    description: A tool of %s
    spec:
      mode: TASK
      timeoutSeconds: %d
      script:
        language: shell
        source: echo hello
    """
        .formatted(name, name, timeoutSeconds);
  }

  private static String uniqueName(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet() + "-" + ProcessHandle.current().pid();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(files.resolve(name), content);
  }

  /** The field {@code name} of each item of {@code array}, in order. */
  private static List<String> field(JsonNode array, String name) {
    assertThat(array.isArray()).as(array.toString()).isTrue();
    List<String> values = new ArrayList<>();
    array.forEach(item -> values.add(item.path(name).asString()));
    return values;
  }

  private static JsonNode json(Cli.Result result) {
    assertThat(result.exitCode()).as(result.toString()).isIn(0, ExitCodes.CANCELLED);
    return Documents.JSON.readTree(result.out());
  }
}
