package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LaunchInstanceUseCase.Launched;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.in.RegisterToolUseCase.Registration;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.PageRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tools with input and output schemas, through the use cases every door shares: a schema is checked
 * at registration, parameters at launch (before anything is recorded), results when they arrive.
 */
class TypedToolsTest {
  private static final ContainerImage IMAGE = ContainerImage.of("registry.example/greeter:1");

  static final JsonSchema GREETER_INPUT =
      new JsonSchema(
          Map.of(
              "type",
              "object",
              "required",
              List.of("name"),
              "additionalProperties",
              false,
              "properties",
              Map.of(
                  "name", Map.of("type", "string", "minLength", 1),
                  "times", Map.of("type", "integer", "minimum", 1))));

  static final JsonSchema GREETER_OUTPUT =
      new JsonSchema(
          Map.of(
              "type",
              "object",
              "required",
              List.of("greeting"),
              "properties",
              Map.of("greeting", Map.of("type", "string"))));

  static final ToolSpec GREETER =
      ToolSpec.task(IMAGE).inputSchema(GREETER_INPUT).outputSchema(GREETER_OUTPUT).build();

  // One task at a time: a refused launch must not take the only slot.
  private final InMemoryToolrun toolrun = new InMemoryToolrun(new Capacity(1, 1));

  @AfterEach
  void close() {
    toolrun.close();
  }

  @Test
  void aToolWithValidSchemasIsRegistered() {
    Registration registration = toolrun.register("greeter", GREETER);

    assertThat(registration.created()).isTrue();
    assertThat(registration.tool().spec().inputSchema()).contains(GREETER_INPUT);
    assertThat(registration.tool().spec().outputSchema()).contains(GREETER_OUTPUT);
  }

  @Test
  void anInvalidSchemaIsRefusedWithEveryViolationAndNothingIsStored() {
    JsonSchema broken =
        new JsonSchema(
            Map.of(
                "type", "object",
                "required", "name",
                "properties", Map.of("name", Map.of("minLength", -1))));
    JsonSchema dangling =
        new JsonSchema(Map.of("properties", Map.of("a", Map.of("$ref", "#/$defs/nothing"))));

    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                toolrun.register(
                    "greeter",
                    ToolSpec.task(IMAGE).inputSchema(broken).outputSchema(dangling).build()));

    assertThat(e.violations())
        .extracting(Violation::field)
        .contains(
            "spec.inputSchema/required",
            "spec.inputSchema/properties/name/minLength",
            "spec.outputSchema");
    assertThat(toolrun.tools.versions(new ToolName("greeter"))).isEmpty();
  }

  @Test
  void aSchemaReferringOutsideItselfIsRefused() {
    JsonSchema remote =
        new JsonSchema(
            Map.of(
                "type",
                "object",
                "properties",
                Map.of("a", Map.of("$ref", "https://schemas.example/a.json"))));

    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () -> toolrun.register("greeter", ToolSpec.task(IMAGE).inputSchema(remote).build()));

    assertThat(e.violations())
        .extracting(Violation::field)
        .containsExactly("spec.inputSchema/properties/a/$ref");
  }

  @Test
  void theSchemasArePartOfTheVersion() {
    ToolSpec plain = ToolSpec.task(IMAGE).build();
    ToolSpec typed = ToolSpec.task(IMAGE).inputSchema(GREETER_INPUT).build();

    assertThat(toolrun.register("greeter", plain).tool().version()).isEqualTo(1);
    assertThat(toolrun.register("greeter", typed).tool().version()).isEqualTo(2);
    Registration again =
        toolrun.register("greeter", ToolSpec.task(IMAGE).inputSchema(GREETER_INPUT).build());
    assertThat(again.created()).isFalse();
    assertThat(again.tool().version()).isEqualTo(2);
    assertThat(toolrun.register("greeter", GREETER).tool().version()).isEqualTo(3);
    JsonSchema changed =
        new JsonSchema(Map.of("type", "object", "required", List.of("name", "times")));
    assertThat(toolrun.register("greeter", ToolSpec.task(IMAGE).inputSchema(changed).build()))
        .extracting(r -> r.tool().version())
        .isEqualTo(4);
  }

  @Test
  void aLaunchBreakingTheInputSchemaIsRefusedWithEveryViolationBeforeAnythingIsCreated() {
    toolrun.register("greeter", GREETER);
    toolrun.runtime.script(new ToolName("greeter"), Scenario.neverFinish());

    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                toolrun.launch(
                    "greeter",
                    new Parameters(Map.of("times", 0, "colour", "red")),
                    SecretValues.NONE,
                    Optional.of("key-1")));

    assertThat(e.violations())
        .extracting(Violation::field, Violation::message)
        .contains(
            tuple("parameters/name", "is required"),
            tuple("parameters/colour", "is not allowed by the schema"));
    assertThat(e.violations()).extracting(Violation::field).contains("parameters/times");
    assertThat(allInstances()).isEmpty();
    // The one task slot is still free: the next, valid launch runs at once.
    Launched valid =
        toolrun.launch(
            "greeter",
            new Parameters(Map.of("name", "Ada")),
            SecretValues.NONE,
            Optional.of("key-1"));
    assertThat(valid.replayed()).isFalse();
    assertThat(valid.view().queuePosition()).isEmpty();
    toolrun.awaitState(valid.view().instance().id(), InstanceState.RUNNING);
  }

  @Test
  void secretAndParameterViolationsAreReportedTogether() {
    toolrun.register(
        "deployer",
        ToolSpec.task(IMAGE).secretInput("API_TOKEN").inputSchema(GREETER_INPUT).build());

    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () -> toolrun.launch("deployer", Parameters.NONE, SecretValues.NONE, Optional.empty()));

    assertThat(e.violations())
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("secrets.API_TOKEN", "parameters/name");
  }

  @Test
  void aResultMatchingTheOutputSchemaIsNotFlagged() {
    toolrun.register("greeter", GREETER);
    toolrun.runtime.script(
        new ToolName("greeter"), Scenario.succeed(List.of(), "{\"greeting\":\"hello Ada\"}"));

    Instance done = runToEnd(Map.of("name", "Ada"));

    assertThat(done.result()).contains(new ToolResult("{\"greeting\":\"hello Ada\"}"));
    assertThat(done.result().orElseThrow().conforms()).isTrue();
  }

  @Test
  void aResultBreakingTheOutputSchemaIsKeptAndFlagged() {
    toolrun.register("greeter", GREETER);
    toolrun.runtime.script(
        new ToolName("greeter"), Scenario.succeed(List.of(), "{\"greeting\":42,\"extra\":true}"));

    Instance done = runToEnd(Map.of("name", "Ada"));

    assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
    ToolResult result = done.result().orElseThrow();
    assertThat(result.json()).isEqualTo("{\"greeting\":42,\"extra\":true}");
    assertThat(result.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("/greeting");
              assertThat(v.message()).contains("integer found, string expected");
            });
  }

  @Test
  void aToolWithoutSchemasTakesAnyObjectAndAnyResult() {
    toolrun.register("greeter", ToolSpec.task(IMAGE).build());
    toolrun.runtime.script(new ToolName("greeter"), Scenario.succeed(List.of(), "[1,2]"));

    Instance done = runToEnd(Map.of("anything", List.of(1, "two")));

    assertThat(done.result()).contains(new ToolResult("[1,2]"));
  }

  @Test
  void withoutASchemaValidatorTypedToolsAreRefusedAndOthersWork() {
    InMemoryToolRepository tools = new InMemoryToolRepository();
    InMemoryLogStore logs = new InMemoryLogStore();
    try (InMemoryWorkloadRuntime runtime =
            new InMemoryWorkloadRuntime(logs, InMemoryRuntimeConfig.instant(), Clock.systemUTC());
        Toolrun bare =
            Toolrun.builder()
                .tools(tools)
                .instances(new InMemoryInstanceRepository())
                .logs(logs)
                .runtime(runtime)
                .build()) {
      ValidationException e =
          catchThrowableOfType(
              ValidationException.class,
              () ->
                  bare.registerTool()
                      .register(new RegisterToolCommand(new ToolName("greeter"), "", GREETER)));

      assertThat(e.violations())
          .extracting(Violation::field)
          .containsExactly("spec.inputSchema", "spec.outputSchema");
      assertThat(e.getMessage()).contains("without a schema validator");
      assertThat(
              bare.registerTool()
                  .register(
                      new RegisterToolCommand(
                          new ToolName("plain"), "", ToolSpec.task(IMAGE).build()))
                  .created())
          .isTrue();
    }
  }

  private Instance runToEnd(Map<String, Object> parameters) {
    InstanceId id =
        toolrun
            .launch("greeter", new Parameters(parameters), SecretValues.NONE, Optional.empty())
            .view()
            .instance()
            .id();
    return toolrun.awaitState(id, InstanceState.SUCCEEDED);
  }

  private List<Instance> allInstances() {
    return toolrun
        .app
        .listInstances()
        .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(100)))
        .items()
        .stream()
        .map(InstanceView::instance)
        .toList();
  }
}
