package dev.toolrun.adapter.http.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.ErrorCode;
import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.InstanceNotServingException;
import dev.toolrun.domain.error.MemoryBudgetExceededException;
import dev.toolrun.domain.error.RequestTimeoutException;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.TooManyRequestsException;
import dev.toolrun.domain.error.ToolNotFoundException;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolName;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorMappingTest {
  private static final InstanceId ID = new InstanceId("0193a9b2-7c1d-7aaa-8bbb-0123456789ab");

  // One exception per code; the switch is exhaustive, so a new code fails to compile here first.
  private static ToolrunException example(ErrorCode code) {
    return switch (code) {
      case TOOL_NOT_FOUND -> new ToolNotFoundException(new ToolName("x"));
      case INSTANCE_NOT_FOUND -> new InstanceNotFoundException(ID);
      case ILLEGAL_TRANSITION ->
          new IllegalTransitionException(ID, InstanceState.SUCCEEDED, InstanceState.CANCELLED);
      case VALIDATION_FAILED ->
          new ValidationException(
              List.of(new Violation("a", "is bad"), new Violation("b.c", "is worse")));
      case CONFLICT -> new ConflictException("key reused");
      case RUNTIME_UNAVAILABLE -> new RuntimeUnavailableException("api server down", null);
      case RUNTIME_REJECTED ->
          new RuntimeRejectedException(RuntimeRejectedException.Kind.FORBIDDEN, "forbidden", null);
      case INSTANCE_NOT_SERVING ->
          new InstanceNotServingException(ID, InstanceState.STARTING, "not yet");
      case TOO_MANY_REQUESTS -> new TooManyRequestsException(ID, 10, Duration.ofMillis(2500));
      case REQUEST_TIMED_OUT -> new RequestTimeoutException(ID, Duration.ofSeconds(30));
      case UPSTREAM_FAILED ->
          new dev.toolrun.domain.error.UpstreamFailedException(ID, "reset", null);
      case MEMORY_BUDGET_EXCEEDED ->
          new MemoryBudgetExceededException(900, 200, 1000, Duration.ofSeconds(2));
    };
  }

  private static int expectedStatus(ErrorCode code) {
    return switch (code) {
      case TOOL_NOT_FOUND, INSTANCE_NOT_FOUND -> 404;
      case ILLEGAL_TRANSITION, CONFLICT, INSTANCE_NOT_SERVING -> 409;
      case VALIDATION_FAILED -> 400;
      case RUNTIME_UNAVAILABLE, MEMORY_BUDGET_EXCEEDED -> 503;
      case RUNTIME_REJECTED, UPSTREAM_FAILED -> 502;
      case TOO_MANY_REQUESTS -> 429;
      case REQUEST_TIMED_OUT -> 504;
    };
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyDomainErrorMapsToItsStatusAndCode(ErrorCode code) {
    ToolrunException error = example(code);

    Problem problem = ErrorResponder.domain(error);

    assertThat(problem.status()).isEqualTo(expectedStatus(code));
    assertThat(problem.code()).isEqualTo(code.name());
    assertThat(problem.message()).isEqualTo(error.getMessage());
  }

  @Test
  void aLaunchRefusedForTheMemoryBudgetSaysWhenToTryAgain() {
    Problem problem = ErrorResponder.domain(example(ErrorCode.MEMORY_BUDGET_EXCEEDED));

    assertThat(problem.headers()).containsEntry("Retry-After", "2");
    assertThat(problem.message()).contains("records.memory-budget-bytes");
  }

  @Test
  void validationErrorsListEveryViolation() {
    Problem problem = ErrorResponder.domain(example(ErrorCode.VALIDATION_FAILED));

    assertThat(problem.body().details())
        .extracting(d -> d.field() + ": " + d.message())
        .containsExactly("a: is bad", "b.c: is worse");
  }

  @Test
  void tooManyRequestsSaysWhenToRetryInWholeSecondsRoundedUp() {
    Problem problem = ErrorResponder.domain(example(ErrorCode.TOO_MANY_REQUESTS));

    assertThat(problem.headers()).containsEntry("Retry-After", "3");
  }

  @Test
  void otherErrorsHaveNoDetails() {
    assertThat(ErrorResponder.domain(example(ErrorCode.CONFLICT)).details()).isEmpty();
    assertThat(ErrorResponder.domain(example(ErrorCode.CONFLICT)).headers()).isEmpty();
  }
}
