package dev.toolrun.adapter.k8s.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.inmemory.InMemoryAdapter;
import dev.toolrun.adapter.k8s.ToolRequestReader;
import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.out.Leadership;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The door's decisions, against the real registration use case over in-memory records: which Tool
 * objects are requests toolrun answers, and what it answers.
 */
class ToolRequestsTest {
  // Reads just enough of the REST spec for these tests: the image, and two violations when the
  // spec asks for them (the real reading, the HTTP adapter's, is ToolRegistrationsTest's and the
  // cluster test's).
  private static final ToolRequestReader READER =
      (name, body) -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) body.get("spec");
        if (spec.containsKey("broken")) {
          var v = new Violations();
          v.add("spec.resources.cpu.limit", "is not a quantity");
          v.add("spec.inputSchema/properties/token", "names the secret input token");
          v.throwIfAny();
        }
        @SuppressWarnings("unchecked")
        String image = (String) ((Map<String, Object>) spec.get("image")).get("name");
        return new RegisterToolCommand(
            new ToolName(name),
            (String) body.getOrDefault("description", ""),
            ToolSpec.task(ContainerImage.of(image)).build());
      };

  private final InMemoryAdapter memory = InMemoryAdapter.create();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final Toolrun core =
      Toolrun.builder()
          .tools(memory.tools())
          .instances(memory.instances())
          .logs(memory.logs())
          .runtime(memory.runtime())
          .executor(executor)
          .clock(Clock.systemUTC())
          .build();
  private final ToolRequests requests =
      new ToolRequests(core.registerTool(), Leadership.SOLE, READER);

  @AfterEach
  void close() {
    executor.shutdownNow();
    memory.close();
  }

  @Test
  void aValidRequestIsRegisteredAsTheFirstVersion() {
    Optional<RequestAnswer> answer = requests.answer(request("greeter", 1, null, "busybox:1.36"));

    assertThat(answer).contains(new RequestAnswer.Registered("greeter", 1, true));
    assertThat(memory.tools().latest(new ToolName("greeter")))
        .map(Tool::spec)
        .contains(ToolSpec.task(ContainerImage.of("busybox:1.36")).build());
  }

  @Test
  void anInvalidRequestGetsEveryViolationAndNoVersion() {
    GenericKubernetesResource tool = tool("greeter", 1, null, "busybox:1.36");
    spec(tool).put("broken", true);

    Optional<RequestAnswer> answer = requests.answer(ToolRequest.of(tool));

    assertThat(answer)
        .contains(
            new RequestAnswer.Invalid(
                List.of(
                    new Violation("spec.resources.cpu.limit", "is not a quantity"),
                    new Violation(
                        "spec.inputSchema/properties/token", "names the secret input token"))));
    assertThat(memory.tools().latest(new ToolName("greeter"))).isEmpty();
  }

  @Test
  void anUnchangedSpecAnswersTheCurrentVersionAndWritesNone() {
    requests.answer(request("greeter", 1, null, "busybox:1.36"));

    Optional<RequestAnswer> answer = requests.answer(request("greeter", 2, 1L, "busybox:1.36"));

    assertThat(answer).contains(new RequestAnswer.Registered("greeter", 1, false));
    assertThat(memory.tools().versions(new ToolName("greeter"))).hasSize(1);
  }

  @Test
  void aChangedSpecRegistersTheNextVersion() {
    requests.answer(request("greeter", 1, null, "busybox:1.36"));

    Optional<RequestAnswer> answer = requests.answer(request("greeter", 2, 1L, "busybox:1.37"));

    assertThat(answer).contains(new RequestAnswer.Registered("greeter", 2, true));
  }

  @Test
  void aToolRegisteredThroughRestGetsTheRequestAsItsNextVersion() {
    core.registerTool()
        .register(
            new RegisterToolCommand(
                new ToolName("greeter"), "", ToolSpec.task(ContainerImage.of("alpine")).build()));

    Optional<RequestAnswer> answer = requests.answer(request("greeter", 1, null, "busybox:1.36"));

    assertThat(answer).contains(new RequestAnswer.Registered("greeter", 2, true));
  }

  @Test
  void aGenerationAlreadyAnsweredIsNotRegisteredAgain() {
    // As after a restart: the status says generation 3 was answered; its spec changed nothing
    // since, so registering it now would make a version nobody asked for.
    Optional<RequestAnswer> answer = requests.answer(request("greeter", 3, 3L, "busybox:1.36"));

    assertThat(answer).isEmpty();
    assertThat(memory.tools().latest(new ToolName("greeter"))).isEmpty();
  }

  @Test
  void aCopyFromBeforeTheAnswerArrivedIsNotRegisteredAgain() {
    ToolRequest first = request("greeter", 1, null, "busybox:1.36");
    requests.answer(first);
    requests.answered(first);

    // The same generation, its status not yet showing the answer; had it been registered again,
    // the tool's spec being unchanged, its answer would now say "unchanged".
    assertThat(requests.answer(request("greeter", 1, null, "busybox:1.36"))).isEmpty();
    // Deleted and applied anew, it is a new request.
    requests.forget("greeter");
    assertThat(requests.answer(request("greeter", 1, null, "busybox:1.36")))
        .contains(new RequestAnswer.Registered("greeter", 1, false));
  }

  @Test
  void aVersionObjectIsNoRequest() {
    GenericKubernetesResource version = tool("greeter-v1", 1, null, "busybox:1.36");
    version
        .getMetadata()
        .setLabels(Map.of("toolrun.dev/tool", "greeter", "toolrun.dev/tool-version", "1"));

    assertThat(requests.answer(ToolRequest.of(version))).isEmpty();
    assertThat(memory.tools().latest(new ToolName("greeter-v1"))).isEmpty();
  }

  @Test
  void aStandbyLeavesRequestsToTheWriter() {
    ToolRequests standby =
        new ToolRequests(core.registerTool(), () -> Optional.of("standby: not the leader"), READER);

    assertThat(standby.answer(request("greeter", 1, null, "busybox:1.36"))).isEmpty();
    assertThat(memory.tools().latest(new ToolName("greeter"))).isEmpty();
  }

  @Test
  void theDescriptionIsTakenFromTheSpecAsAPutTakesItBesideTheSpec() {
    GenericKubernetesResource tool = tool("greeter", 1, null, "busybox:1.36");
    spec(tool).put("description", "says hello");

    ToolRequest request = ToolRequest.of(tool);

    assertThat(request.body())
        .containsEntry("description", "says hello")
        .extractingByKey("spec")
        .isEqualTo(Map.of("mode", "TASK", "image", Map.of("name", "busybox:1.36")));
  }

  @Test
  void answersSetEveryFieldTheOtherOneWrites() {
    Instant at = Instant.parse("2026-12-03T14:00:00.5Z");
    Map<String, Object> registered = status(new RequestAnswer.Registered("greeter", 2, true), at);
    Map<String, Object> invalid =
        status(new RequestAnswer.Invalid(List.of(new Violation("spec.mode", "is required"))), at);

    assertThat(registered)
        .containsEntry("observedGeneration", 4L)
        .containsEntry("version", 2)
        .containsEntry("violations", List.of());
    assertThat(invalid)
        .containsEntry("observedGeneration", 4L)
        .containsEntry(
            "violations", List.of(Map.of("field", "spec.mode", "message", "is required")))
        // An earlier generation's version stays the tool's, and the request's.
        .doesNotContainKey("version");
    assertThat(condition(invalid))
        .containsEntry("status", "False")
        .containsEntry("reason", "Invalid")
        .containsEntry("message", "not registered: spec.mode: is required")
        .containsEntry("lastTransitionTime", "2026-12-03T14:00:00Z");
    assertThat(condition(registered))
        .containsEntry("status", "True")
        .containsEntry("reason", "Registered");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(RequestAnswer answer, Instant at) {
    return (Map<String, Object>) answer.status(4, at).get("status");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(Map<String, Object> status) {
    return ((List<Map<String, Object>>) status.get("conditions")).get(0);
  }

  private static ToolRequest request(
      String name, long generation, Long observedGeneration, String image) {
    GenericKubernetesResource tool = tool(name, generation, observedGeneration, image);
    return ToolRequest.of(tool);
  }

  private static GenericKubernetesResource tool(
      String name, long generation, Long observedGeneration, String image) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("mode", "TASK");
    spec.put("image", Map.of("name", image));
    Map<String, Object> properties = new HashMap<>();
    properties.put("spec", spec);
    if (observedGeneration != null) {
      properties.put("status", Map.of("observedGeneration", observedGeneration));
    }
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("toolrun.dev/v1alpha1")
        .withKind("Tool")
        .withNewMetadata()
        .withName(name)
        .withGeneration(generation)
        .endMetadata()
        .withAdditionalProperties(properties)
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource tool) {
    return (Map<String, Object>) tool.getAdditionalProperties().get("spec");
  }
}
