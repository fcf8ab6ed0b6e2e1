package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.StateChange;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.LaunchInstanceUseCase.Launched;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.PageRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LaunchInstanceServiceTest {
  private static final ToolSpec WITH_SECRETS =
      ToolSpec.task(ContainerImage.of("registry.example/deployer:1"))
          .secretInput("API_TOKEN")
          .secretInput("DB_PASSWORD")
          .build();

  private final InMemoryToolrun toolrun = new InMemoryToolrun(Capacity.DEFAULT);

  @AfterEach
  void close() {
    toolrun.close();
  }

  @Test
  void aLaunchedTaskSucceedsWithItsResultAndKeepsItsLog() {
    toolrun.registered("greeter");
    toolrun.runtime.script(
        new ToolName("greeter"),
        Scenario.succeed(List.of("hello", "world"), "{\"greeting\":\"hello\"}"));

    Launched launched = toolrun.launch("greeter");
    InstanceId id = launched.view().instance().id();
    Instance done = toolrun.awaitState(id, InstanceState.SUCCEEDED);

    assertThat(launched.replayed()).isFalse();
    assertThat(done.result()).contains(new ToolResult("{\"greeting\":\"hello\"}"));
    assertThat(done.exitCode()).contains(0);
    assertThat(done.history())
        .extracting(StateChange::state)
        .containsExactly(
            InstanceState.PENDING,
            InstanceState.CREATING,
            InstanceState.STARTING,
            InstanceState.RUNNING,
            InstanceState.SUCCEEDED);
    assertThat(toolrun.awaitCompleteLog(id)).containsExactly("hello", "world");
  }

  @Test
  void anUnscriptedTaskEchoesItsParametersAndNeverItsSecretValues() {
    toolrun.register("deployer", WITH_SECRETS);
    String token = "tok-8c1f-very-secret";
    String password = "pw-correct-horse";

    InstanceId id =
        toolrun
            .launch(
                "deployer",
                new Parameters(Map.of("target", "staging", "replicas", 3)),
                new SecretValues(Map.of("API_TOKEN", token, "DB_PASSWORD", password)),
                Optional.empty())
            .view()
            .instance()
            .id();
    Instance done = toolrun.awaitState(id, InstanceState.SUCCEEDED);
    List<String> log = toolrun.awaitCompleteLog(id);

    assertThat(done.result().orElseThrow().json())
        .contains("\"parameters\":{\"replicas\":3,\"target\":\"staging\"}");
    assertThat(log)
        .contains(
            "[in-memory runtime] secret inputs: API_TOKEN, DB_PASSWORD (values are never shown)");
    assertThat(done.secretNames()).containsExactly("API_TOKEN", "DB_PASSWORD");
    assertThat(String.join("\n", log) + done).doesNotContain(token).doesNotContain(password);
  }

  @Test
  void missingAndUnknownSecretsAreEachReportedAndNothingIsLaunched() {
    toolrun.register("deployer", WITH_SECRETS);

    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                toolrun.launch(
                    "deployer",
                    Parameters.NONE,
                    new SecretValues(Map.of("DB_PASSWORD", "x", "EXTRA", "y")),
                    Optional.empty()));

    assertThat(e.violations())
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("secrets.API_TOKEN", "secrets.EXTRA");
    assertThat(toolrun.instances.list(InstanceFilter.ALL, PageRequest.first(10)).items()).isEmpty();
  }

  @Test
  void aLaunchBySecretReferenceKeepsTheReferenceAndCountsEverySecretInputAsGiven() {
    toolrun.register("deployer", WITH_SECRETS);
    toolrun.runtime.defineSecret("deployer-secrets", Set.of("API_TOKEN", "DB_PASSWORD"));

    Launched launched =
        toolrun.launchWithSecretFrom(
            "deployer", "deployer-secrets", SecretValues.NONE, Optional.empty());
    Instance done = toolrun.awaitState(launched.view().instance().id(), InstanceState.SUCCEEDED);

    assertThat(done.secretReference()).contains(new SecretReference("deployer-secrets"));
    assertThat(done.secretNames()).containsExactly("API_TOKEN", "DB_PASSWORD");
  }

  @Test
  void aLaunchBySecretReferenceWhoseSecretIsMissingFailsNamingIt() {
    toolrun.register("deployer", WITH_SECRETS);

    Launched launched =
        toolrun.launchWithSecretFrom("deployer", "not-there", SecretValues.NONE, Optional.empty());
    Instance done = toolrun.awaitState(launched.view().instance().id(), InstanceState.FAILED);

    assertThat(done.failure().orElseThrow().message()).contains("secret \"not-there\" not found");
  }

  @Test
  void secretValuesAndASecretReferenceTogetherAreRefusedAndNothingIsLaunched() {
    toolrun.register("deployer", WITH_SECRETS);

    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                toolrun.launchWithSecretFrom(
                    "deployer",
                    "deployer-secrets",
                    new SecretValues(Map.of("API_TOKEN", "x", "DB_PASSWORD", "y")),
                    Optional.empty()));

    assertThat(e.violations()).extracting(Violation::field).containsExactly("secretRef");
    assertThat(toolrun.instances.list(InstanceFilter.ALL, PageRequest.first(10)).items()).isEmpty();
  }

  @Test
  void aSecretReferenceForAToolWithoutSecretInputsIsRefused() {
    toolrun.registered("echo");

    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                toolrun.launchWithSecretFrom(
                    "echo", "some-secret", SecretValues.NONE, Optional.empty()));

    assertThat(e.violations())
        .extracting(Violation::field, Violation::message)
        .containsExactly(tuple("secretRef", "tool echo v1 declares no secret inputs"));
  }

  @Test
  void theSecretReferenceIsPartOfWhatMakesTwoLaunchesTheSameRequest() {
    toolrun.register("deployer", WITH_SECRETS);
    Launched first =
        toolrun.launchWithSecretFrom("deployer", "tokens-a", SecretValues.NONE, Optional.of("k"));

    Launched again =
        toolrun.launchWithSecretFrom("deployer", "tokens-a", SecretValues.NONE, Optional.of("k"));
    ConflictException other =
        catchThrowableOfType(
            ConflictException.class,
            () ->
                toolrun.launchWithSecretFrom(
                    "deployer", "tokens-b", SecretValues.NONE, Optional.of("k")));

    assertThat(again.replayed()).isTrue();
    assertThat(again.view().instance().id()).isEqualTo(first.view().instance().id());
    assertThat(other).hasMessageContaining("'k'");
  }

  @Test
  void theSameIdempotencyKeyWithTheSameRequestReturnsTheSameInstance() {
    toolrun.registered("echo");
    Parameters parameters = new Parameters(Map.of("n", 1));

    Launched first = toolrun.launch("echo", parameters, SecretValues.NONE, Optional.of("order-42"));
    Launched again = toolrun.launch("echo", parameters, SecretValues.NONE, Optional.of("order-42"));

    assertThat(first.replayed()).isFalse();
    assertThat(again.replayed()).isTrue();
    assertThat(again.view().instance().id()).isEqualTo(first.view().instance().id());
    assertThat(toolrun.instances.list(InstanceFilter.ALL, PageRequest.first(10)).items())
        .hasSize(1);
  }

  @Test
  void theSameIdempotencyKeyWithOtherParametersIsAConflict() {
    toolrun.registered("echo");
    toolrun.launch(
        "echo", new Parameters(Map.of("n", 1)), SecretValues.NONE, Optional.of("order-42"));

    ConflictException e =
        catchThrowableOfType(
            ConflictException.class,
            () ->
                toolrun.launch(
                    "echo",
                    new Parameters(Map.of("n", 2)),
                    SecretValues.NONE,
                    Optional.of("order-42")));

    assertThat(e).hasMessageContaining("order-42");
  }

  @Test
  void parametersThatOnlyPrintAlikeAreNotTheSameRequest() {
    toolrun.registered("echo");
    toolrun.launch("echo", new Parameters(Map.of("n", 1)), SecretValues.NONE, Optional.of("typed"));
    toolrun.launch(
        "echo", new Parameters(Map.of("a", "x, b=y")), SecretValues.NONE, Optional.of("joined"));

    assertThat(
            catchThrowableOfType(
                ConflictException.class,
                () ->
                    toolrun.launch(
                        "echo",
                        new Parameters(Map.of("n", "1")),
                        SecretValues.NONE,
                        Optional.of("typed"))))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                ConflictException.class,
                () ->
                    toolrun.launch(
                        "echo",
                        new Parameters(Map.of("a", "x", "b", "y")),
                        SecretValues.NONE,
                        Optional.of("joined"))))
        .isNotNull();
  }
}
