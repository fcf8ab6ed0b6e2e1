package dev.toolrun.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.ToolName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code log.format=json}: the process's logs, the core's {@code System.Logger} lines included, as
 * one JSON object per line on standard error, with the instance and the tool as fields.
 */
class JsonLogsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final InstanceId ID = new InstanceId("0193a9b2-7c1d-7aaa-8bbb-0123456789ab");

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void captureStandardError() {
    stderr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    JsonLogs.install();
  }

  @AfterEach
  void restoreTheTextLogs() throws Exception {
    System.setErr(stderr);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void theCoresLinesCarryTheInstanceAndTheToolAsFields() {
    System.getLogger("dev.toolrun.application.InstanceStarter")
        .log(
            Level.WARNING,
            "instance {0} of {1} vanished before it started",
            ID,
            new ToolName("hello"));

    JsonNode line = onlyLine();
    assertThat(line.get("level").asString()).isEqualTo("WARN");
    assertThat(line.get("logger").asString()).isEqualTo("dev.toolrun.application.InstanceStarter");
    assertThat(line.get("message").asString())
        .isEqualTo("instance " + ID + " of hello vanished before it started");
    assertThat(line.get("instanceId").asString()).isEqualTo(ID.toString());
    assertThat(line.get("tool").asString()).isEqualTo("hello");
    assertThat(line.get("time").asString()).endsWith("Z");
  }

  @Test
  void anInstanceIdWrittenInTheMessageIsFoundThere() {
    LoggerFactory.getLogger("dev.toolrun.adapter.k8s.run.RunReconciler")
        .info("could not read the result of " + ID + ": \"quoted\"\nand a second line");

    JsonNode line = onlyLine();
    assertThat(line.get("instanceId").asString()).isEqualTo(ID.toString());
    assertThat(line.has("tool")).isFalse();
    assertThat(line.get("message").asString()).contains("\"quoted\"\nand a second line");
  }

  @Test
  void fieldsFromTheMdcAndTheStackTraceOfAnError() {
    MDC.put("tool", "from-mdc");
    try {
      LoggerFactory.getLogger("x").error("it broke", new IllegalStateException("because"));
    } finally {
      MDC.remove("tool");
    }

    JsonNode line = onlyLine();
    assertThat(line.get("tool").asString()).isEqualTo("from-mdc");
    assertThat(line.has("instanceId")).isFalse();
    assertThat(line.get("error").asString())
        .startsWith("java.lang.IllegalStateException: because\n\tat ");
  }

  @Test
  void levelsStayAsLogbackXmlSetsThem() {
    LoggerFactory.getLogger("io.vertx.core.Something").info("not shown: io.vertx is at WARN");
    LoggerFactory.getLogger("dev.toolrun.x").debug("not shown: the root is at INFO");

    assertThat(lines()).isEmpty();
  }

  private JsonNode onlyLine() {
    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    return JSON.readTree(lines.get(0));
  }

  private List<String> lines() {
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out.isEmpty() || out.endsWith("\n")).as(out).isTrue();
    return Arrays.stream(out.split("\n")).filter(l -> !l.isEmpty()).toList();
  }
}
