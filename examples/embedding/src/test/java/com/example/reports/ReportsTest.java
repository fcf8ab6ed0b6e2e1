package com.example.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.instance.FailureKind;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.ports.in.GetInstanceLogsUseCase.GetInstanceLogsQuery;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogPage.LogLine;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application's own code ({@link Reports}) tested over toolrun's in-memory adapter: the test
 * scripts what a run of the report tool does, and checks what the application sees.
 */
class ReportsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

  private final InMemoryToolrun toolrun = new InMemoryToolrun();
  private final Reports reports =
      new Reports(toolrun.toolrun(), "registry.example/reports:1", Duration.ofSeconds(1));

  @AfterEach
  void close() {
    toolrun.close();
  }

  private Instance awaitEnd(InstanceId id) {
    await().atMost(PATIENCE).until(() -> reports.run(id).isTerminal());
    return reports.run(id);
  }

  private LogPage log(InstanceId id) {
    return toolrun.toolrun().getInstanceLogs().logs(new GetInstanceLogsQuery(id, 0, 100));
  }

  @Test
  void aReportRunsToItsEndWithItsResultAndItsLog() {
    toolrun
        .runtime()
        .script(Reports.TOOL, Scenario.succeed(List.of("reading November"), "{\"total\":1234}"));
    reports.install();

    InstanceId id = reports.start(NOVEMBER);
    Instance done = awaitEnd(id);

    assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(done.result()).contains(new ToolResult("{\"total\":1234}"));
    assertThat(done.exitCode()).contains(0);
    assertThat(done.parameters().values()).containsEntry("month", "2026-11");
    await().atMost(PATIENCE).until(() -> log(id).complete());
    assertThat(log(id).lines()).extracting(LogLine::text).containsExactly("reading November");
  }

  @Test
  void startingTheSameMonthTwiceRunsTheReportOnce() {
    reports.install();

    assertThat(reports.start(NOVEMBER)).isEqualTo(reports.start(NOVEMBER));
  }

  @Test
  void aReportThatExitsWithAnErrorFailsWithItsExitCode() {
    toolrun.runtime().script(Reports.TOOL, Scenario.fail(3, List.of("no data for November")));
    reports.install();

    Instance failed = awaitEnd(reports.start(NOVEMBER));

    assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
    assertThat(failed.failure().map(FailureReason::kind)).contains(FailureKind.EXITED_NON_ZERO);
    assertThat(failed.exitCode()).contains(3);
    assertThat(failed.result()).isEmpty();
  }

  @Test
  void aReportThatRunsOutOfMemoryFailsAsSuch() {
    toolrun.runtime().script(Reports.TOOL, Scenario.runOutOfMemory(List.of("loading every order")));
    reports.install();

    Instance failed = awaitEnd(reports.start(NOVEMBER));

    assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
    assertThat(failed.failure().map(FailureReason::kind)).contains(FailureKind.OUT_OF_MEMORY);
    assertThat(failed.exitCode()).contains(137);
  }

  @Test
  void aReportScriptedToTimeOutEndsTimedOutWithoutWaitingForIt() {
    toolrun.runtime().script(Reports.TOOL, Scenario.timeOut(List.of("still counting")));
    reports.install();

    Instance timedOut = awaitEnd(reports.start(NOVEMBER));

    assertThat(timedOut.state()).isEqualTo(InstanceState.TIMED_OUT);
    assertThat(timedOut.failure().map(FailureReason::kind)).contains(FailureKind.DEADLINE_EXCEEDED);
  }

  @Test
  void aReportStillRunningAtItsTimeoutEndsTimedOut() {
    toolrun.runtime().script(Reports.TOOL, Scenario.neverFinish());
    reports.install();

    InstanceId id = reports.start(NOVEMBER);
    await().atMost(PATIENCE).until(() -> reports.run(id).state() == InstanceState.RUNNING);
    Instance timedOut = awaitEnd(id);

    assertThat(timedOut.state()).isEqualTo(InstanceState.TIMED_OUT);
    assertThat(timedOut.failure())
        .contains(new FailureReason.DeadlineExceeded(Duration.ofSeconds(1)));
  }
}
