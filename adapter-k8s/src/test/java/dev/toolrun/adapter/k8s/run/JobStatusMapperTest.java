package dev.toolrun.adapter.k8s.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.FailureKind;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs the mapper on Jobs and pods captured from a real cluster (kube-local, Kubernetes 1.20). */
class JobStatusMapperTest {
  /** Long after every fixture was captured: every grace period has passed. */
  private static final Instant LATER = Instant.parse("2026-11-25T05:00:00Z");

  private final JobStatusMapper mapper =
      new JobStatusMapper(Duration.ZERO, Duration.ofSeconds(60), Duration.ofSeconds(60));

  private static Job job(String scenario) {
    return Fixtures.job(scenario);
  }

  private static List<Pod> pods(String scenario) {
    return Fixtures.pods(scenario);
  }

  private JobObservation observe(String scenario) {
    return mapper.observe(job(scenario), pods(scenario), LATER);
  }

  @Test
  void aCompleteJobSucceededWithTheTerminationMessageAsResult() {
    JobObservation o = observe("succeeded");

    assertThat(o.state()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(o.exitCode()).contains(0);
    // Captured as written by the shell in the fixture: not JSON, which the result reader handles.
    assertThat(o.terminationMessage()).contains("{answer:42}");
  }

  @Test
  void aParallelJobTakesTheResultOfThePodThatFinishedLast() {
    JobObservation o = observe("parallel");

    assertThat(o.state()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(o.terminationMessage())
        .hasValueSatisfying(m -> assertThat(m).startsWith("{\"part\":\"fx-parallel-"));
  }

  @Test
  void aNonZeroExitFailsWithItsCode() {
    JobObservation o = observe("exit3");

    assertThat(o.state()).isEqualTo(InstanceState.FAILED);
    assertThat(o.failure()).contains(new FailureReason.ExitedNonZero(3));
    assertThat(o.exitCode()).contains(3);
  }

  @Test
  void aParallelRunThatFailedSaysHowManyPodsFailedAndHowTheFirstExited() {
    // Four pods (three parallel, one retry): one exited 0, then 3, 5 and 5 in that order.
    JobObservation o = observe("parallel-failed");

    assertThat(o.state()).isEqualTo(InstanceState.FAILED);
    assertThat(o.failure()).contains(new FailureReason.ExitedNonZero(3, 3, 4));
    assertThat(o.failure().orElseThrow().message())
        .isEqualTo("3 of its 4 processes failed; the first exited with code 3");
    assertThat(o.exitCode()).contains(3);
  }

  @Test
  void anOomKillIsOutOfMemoryWithTheLimit() {
    JobObservation o = observe("oom");

    assertThat(o.state()).isEqualTo(InstanceState.FAILED);
    assertThat(o.failure())
        .contains(new FailureReason.OutOfMemory("killed at its memory limit of 32Mi"));
    assertThat(o.exitCode()).contains(137);
  }

  /** A claimed pool Job: what the claim wrote on the captured Job of {@code scenario}. */
  private static Job claimed(String scenario, Instant at, long timeoutSeconds) {
    Job job = job(scenario);
    job.getMetadata()
        .setAnnotations(
            java.util.Map.of(
                dev.toolrun.adapter.k8s.job.JobFactory.CLAIMED_AT_ANNOTATION,
                at.toString(),
                dev.toolrun.adapter.k8s.job.JobFactory.TIMEOUT_ANNOTATION,
                Long.toString(timeoutSeconds)));
    return job;
  }

  @Test
  void aClaimedPoolJobTimesOutAfterTheRunsTimeoutNotItsWholeDeadline() {
    // The deadline also counts the time the pool pod waited; the run's own timeout is reported.
    Job job = claimed("deadline", Instant.parse("2026-11-25T04:26:40Z"), 2);

    JobObservation o = mapper.observe(job, pods("deadline"), LATER);

    assertThat(o.state()).isEqualTo(InstanceState.TIMED_OUT);
    assertThat(o.failure()).contains(new FailureReason.DeadlineExceeded(Duration.ofSeconds(2)));
  }

  @Test
  void aClaimedRunStartedAtItsClaimNotWhenThePoolPodStarted() {
    Instant claim = Instant.parse("2026-11-25T04:30:00Z");

    JobObservation o = mapper.observe(claimed("running", claim, 60), pods("running"), LATER);

    assertThat(o.startedAt()).contains(claim);
  }

  @Test
  void anExceededDeadlineTimesOut() {
    JobObservation o = observe("deadline");

    assertThat(o.state()).isEqualTo(InstanceState.TIMED_OUT);
    assertThat(o.failure()).contains(new FailureReason.DeadlineExceeded(Duration.ofSeconds(3)));
  }

  @Test
  void anImageThatCannotBePulledFailsAtOnceWithoutGrace() {
    for (String scenario : List.of("errimagepull", "imagepull")) {
      JobObservation o = observe(scenario);

      assertThat(o.state()).as(scenario).isEqualTo(InstanceState.FAILED);
      assertThat(o.failure()).map(FailureReason::kind).contains(FailureKind.IMAGE_PULL_FAILED);
      assertThat(o.failure().orElseThrow().message()).contains("kube-local.test/");
    }
  }

  @Test
  void anImagePullProblemWithinTheGraceKeepsTheRunStarting() {
    JobStatusMapper patient =
        new JobStatusMapper(Duration.ofDays(1), Duration.ofSeconds(60), Duration.ofSeconds(60));

    JobObservation o = patient.observe(job("errimagepull"), pods("errimagepull"), LATER);

    assertThat(o.state()).isEqualTo(InstanceState.STARTING);
    assertThat(patient.nextDeadline(pods("errimagepull"), LATER)).isPresent();
  }

  @Test
  void aMissingSecretFailsTheRunOnceTheGraceIsOverWithTheKubeletsReason() {
    // A run given its secrets by a Secret that does not exist: the kubelet cannot create the
    // container, and says which Secret (captured from kube-local).
    Instant podStart = Instant.parse(pods("missingsecret").get(0).getStatus().getStartTime());

    JobObservation within =
        mapper.observe(job("missingsecret"), pods("missingsecret"), podStart.plusSeconds(30));
    JobObservation after =
        mapper.observe(job("missingsecret"), pods("missingsecret"), podStart.plusSeconds(60));

    assertThat(within.state()).isEqualTo(InstanceState.STARTING);
    assertThat(mapper.nextDeadline(pods("missingsecret"), podStart.plusSeconds(30)))
        .contains(podStart.plusSeconds(60));
    assertThat(after.state()).isEqualTo(InstanceState.FAILED);
    assertThat(after.failure())
        .contains(
            new FailureReason.RuntimeError(
                "the container could not be created: secret \"no-such-secret\" not found"));
  }

  @Test
  void aPodNoNodeFitsFailsOnceTheGraceIsOver() {
    Pod pod = pods("unschedulable").get(0);
    Instant since = Instant.parse(pod.getStatus().getConditions().get(0).getLastTransitionTime());

    assertThat(mapper.observe(job("unschedulable"), List.of(pod), since.plusSeconds(30)).state())
        .isEqualTo(InstanceState.STARTING);
    JobObservation o = mapper.observe(job("unschedulable"), List.of(pod), since.plusSeconds(60));
    assertThat(o.state()).isEqualTo(InstanceState.FAILED);
    assertThat(o.failure()).map(FailureReason::kind).contains(FailureKind.UNSCHEDULABLE);
    assertThat(o.failure().orElseThrow().message()).contains("didn't match Pod's node affinity");
    assertThat(mapper.nextDeadline(List.of(pod), since)).contains(since.plusSeconds(60));
  }

  @Test
  void aPodWaitingForCapacityWaitsAsLongAsTheRunMay() {
    Pod pod = pods("unschedulable").get(0);
    pod.getStatus()
        .getConditions()
        .get(0)
        .setMessage(
            "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No"
                + " preemption victims found for incoming pod.");
    Instant since = Instant.parse(pod.getStatus().getConditions().get(0).getLastTransitionTime());

    assertThat(
            mapper
                .observe(job("unschedulable"), List.of(pod), since.plus(Duration.ofDays(1)))
                .state())
        .isEqualTo(InstanceState.STARTING);
    assertThat(mapper.nextDeadline(List.of(pod), since)).isEmpty();
  }

  @Test
  void onlyAShortageOfCapacityIsWaitedOut() {
    assertThat(
            JobStatusMapper.onlyShortOfCapacity(
                "0/3 nodes are available: 1 Too many pods, 2 Insufficient cpu."))
        .isTrue();
    assertThat(
            JobStatusMapper.onlyShortOfCapacity(
                "0/1 nodes are available: 1 Insufficient nvidia.com/gpu."))
        .isTrue();
    assertThat(
            JobStatusMapper.onlyShortOfCapacity(
                "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node"
                    + " affinity/selector."))
        .isFalse();
    assertThat(
            JobStatusMapper.onlyShortOfCapacity(
                "0/1 nodes are available: 1 node(s) had untolerated taint {gpu: yes}."))
        .isFalse();
    assertThat(JobStatusMapper.onlyShortOfCapacity("something else entirely")).isFalse();
    assertThat(JobStatusMapper.onlyShortOfCapacity(null)).isFalse();
  }

  @Test
  void aRunThatEndedSaysWhenItsFirstContainerStartedSoItWasRunningThen() {
    assertThat(observe("succeeded").startedAt()).contains(Instant.parse("2026-11-25T04:26:42Z"));
    assertThat(observe("exit3").startedAt()).contains(Instant.parse("2026-11-25T04:26:42Z"));
    assertThat(observe("parallel").startedAt()).contains(Instant.parse("2026-11-25T04:27:18Z"));
    assertThat(observe("running").startedAt()).contains(Instant.parse("2026-11-25T04:26:44Z"));
  }

  @Test
  void aRunWhoseContainerNeverStartedSaysNoStart() {
    assertThat(observe("errimagepull").startedAt()).isEmpty();
    assertThat(observe("creating").startedAt()).isEmpty();
  }

  @Test
  void aRunningContainerIsRunning() {
    assertThat(observe("running").state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aPodWaitingForItsVolumesOrAJobWithoutPodsIsStarting() {
    assertThat(observe("creating").state()).isEqualTo(InstanceState.STARTING);
    assertThat(mapper.observe(job("created"), List.of(), LATER).state())
        .isEqualTo(InstanceState.STARTING);
  }

  @Test
  void aFailedPodOfAJobThatMayStillRetryDoesNotEndTheRun() {
    Job retrying = job("exit3");
    retrying.getStatus().setConditions(List.of());

    assertThat(mapper.observe(retrying, pods("exit3"), LATER).state())
        .isEqualTo(InstanceState.STARTING);
  }

  @Test
  void aFailedJobWhosePodsAreGoneStillSaysWhy() {
    JobObservation o = mapper.observe(job("exit3"), List.of(), LATER);

    assertThat(o.failure()).map(FailureReason::kind).contains(FailureKind.RUNTIME_ERROR);
    assertThat(o.failure().orElseThrow().message()).contains("BackoffLimitExceeded");
    assertThat(o.exitCode()).isEqualTo(Optional.empty());
  }

  private static RunnerEnd runnerEnd(String scenario, int exitCode, String message) {
    return new RunnerEnd(
        dev.toolrun.domain.instance.InstanceId.generate(LATER, new java.util.Random(1)),
        job(scenario).getMetadata().getName(),
        pods(scenario).get(0).getMetadata().getName(),
        exitCode,
        Optional.of(message));
  }

  @Test
  void aRunnersReportOfExitCodeZeroEndsARunningRunAsSucceededWithItsMessage() {
    JobObservation o =
        mapper.observe(
            job("running"),
            pods("running"),
            Optional.of(runnerEnd("running", 0, "{\"ok\":true}")),
            LATER);

    assertThat(o.state()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(o.exitCode()).contains(0);
    assertThat(o.terminationMessage()).contains("{\"ok\":true}");
    assertThat(o.startedAt()).isEqualTo(observe("running").startedAt()).isPresent();
  }

  @Test
  void aRunnersReportOfAnyOtherExitCodeIsLeftToTheKubelet() {
    JobObservation o =
        mapper.observe(
            job("running"), pods("running"), Optional.of(runnerEnd("running", 137, "")), LATER);

    assertThat(o).isEqualTo(observe("running"));
  }

  @Test
  void aRunnersReportCountsOnlyForItsOwnJobsPod() {
    RunnerEnd end = runnerEnd("running", 0, "x");
    RunnerEnd otherJob =
        new RunnerEnd(end.instance(), "toolrun-pool-other", end.pod(), 0, Optional.empty());
    RunnerEnd otherPod =
        new RunnerEnd(end.instance(), end.job(), "toolrun-pool-other-x", 0, Optional.empty());

    assertThat(mapper.observe(job("running"), pods("running"), Optional.of(otherJob), LATER))
        .isEqualTo(observe("running"));
    assertThat(mapper.observe(job("running"), pods("running"), Optional.of(otherPod), LATER))
        .isEqualTo(observe("running"));
  }

  @Test
  void whatTheJobAlreadySaysWinsOverARunnersReport() {
    JobObservation o =
        mapper.observe(job("oom"), pods("oom"), Optional.of(runnerEnd("oom", 0, "x")), LATER);

    assertThat(o).isEqualTo(observe("oom"));
  }
}
