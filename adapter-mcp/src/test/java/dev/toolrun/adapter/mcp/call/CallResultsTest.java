package dev.toolrun.adapter.mcp.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CallResultsTest {
  private static final Instant AT = Instant.parse("2026-12-02T08:00:00Z");
  private static final InstanceId ID = new InstanceId("01a235a7-4995-7b7c-b862-22312b6623c1");

  private final List<String> logLines =
      IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList();
  private final InMemoryInstanceRepository instances = new InMemoryInstanceRepository();
  private final InMemoryLogStore logs = new InMemoryLogStore();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final InMemoryWorkloadRuntime runtime =
      new InMemoryWorkloadRuntime(logs, InMemoryRuntimeConfig.instant(), Clock.systemUTC());
  // The real log use case over the in-memory adapters; the application is never started.
  private final CallResults results =
      new CallResults(
          Toolrun.builder()
              .tools(new InMemoryToolRepository())
              .instances(instances)
              .logs(logs)
              .runtime(runtime)
              .capacity(Capacity.DEFAULT)
              .executor(executor)
              .clock(Clock.systemUTC())
              .random(new SecureRandom())
              .build()
              .getInstanceLogs(),
          new JacksonMcpJsonMapper(JsonMapper.builder().build()));

  @AfterEach
  void stop() {
    runtime.close();
    executor.shutdownNow();
  }

  private Instance running() {
    Tool tool =
        Tool.first(
            new ToolName("greeter"),
            "",
            ToolSpec.task(ContainerImage.of("example/g:1")).build(),
            AT);
    return Instance.launch(ID, tool, Parameters.NONE, Set.of(), Optional.empty(), AT)
        .advanceTo(InstanceState.RUNNING, AT);
  }

  @Test
  void aResultThatIsNotAJsonObjectIsWrappedForStructuredContent() {
    McpSchema.CallToolResult answer =
        results.of(running().succeed(Optional.of(new ToolResult("[1,2]")), AT));

    assertThat(answer.isError()).isFalse();
    assertThat(answer.structuredContent()).isEqualTo(Map.of("result", List.of(1, 2)));
    assertThat(answer.meta()).containsEntry(CallResults.INSTANCE_ID_META, ID.value());
  }

  @Test
  void aSuccessWithoutAResultSaysSoAndHasNoStructuredContent() {
    McpSchema.CallToolResult answer = results.of(running().succeed(Optional.empty(), AT));

    assertThat(answer.isError()).isFalse();
    assertThat(answer.structuredContent()).isNull();
    assertThat(((McpSchema.TextContent) answer.content().get(0)).text())
        .contains("without a result");
  }

  @Test
  void aFailureCarriesTheLastLinesOfTheKeptTailOrElseOfTheLog() {
    Instance failed = running().fail(new FailureReason.ExitedNonZero(2), Optional.of(2), AT);
    instances.add(failed);
    logs.append(ID, logLines);

    McpSchema.CallToolResult fromLog = results.of(failed);
    McpSchema.CallToolResult fromTail =
        results.of(failed.withLogTail(new LogTail(List.of("kept 1", "kept 2"), 2)));

    @SuppressWarnings("unchecked")
    Map<String, Object> structured = (Map<String, Object>) fromLog.structuredContent();
    assertThat(fromLog.isError()).isTrue();
    assertThat(structured.get("logTail")).isEqualTo(logLines.subList(10, 30));
    assertThat(structured)
        .containsEntry("exitCode", 2)
        .containsEntry("failureKind", "EXITED_NON_ZERO");
    assertThat(((Map<?, ?>) fromTail.structuredContent()).get("logTail"))
        .isEqualTo(List.of("kept 1", "kept 2"));
  }

  @Test
  void anInstanceThatHasNotEndedHasNoAnswerYet() {
    assertThatThrownBy(() -> results.of(running())).isInstanceOf(IllegalArgumentException.class);
  }
}
