package dev.toolrun.adapter.k8s.run;

import static dev.toolrun.adapter.k8s.run.Fixtures.job;
import static dev.toolrun.adapter.k8s.run.Fixtures.pods;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readings of Job and pod status, on objects captured from a real cluster. */
class WorkloadStatusTest {
  private static Pod onlyPod(String scenario) {
    List<Pod> pods = pods(scenario);
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  @Test
  void aPodRunsWhenItsToolContainerRunsAndItIsNotBeingDeleted() {
    assertThat(WorkloadStatus.isRunning(onlyPod("running"))).isTrue();
    assertThat(WorkloadStatus.isRunning(onlyPod("creating"))).as("still creating").isFalse();
    assertThat(WorkloadStatus.isRunning(onlyPod("succeeded"))).as("ended").isFalse();
    assertThat(WorkloadStatus.isRunning(onlyPod("deadline"))).as("being deleted").isFalse();
  }

  @Test
  void aPodHasStartedOnceItsToolContainerRunsOrHasEnded() {
    assertThat(WorkloadStatus.hasStarted(onlyPod("running"))).isTrue();
    assertThat(WorkloadStatus.hasStarted(onlyPod("succeeded"))).isTrue();
    assertThat(WorkloadStatus.hasStarted(onlyPod("exit3"))).isTrue();
    assertThat(WorkloadStatus.hasStarted(onlyPod("creating"))).isFalse();
    assertThat(WorkloadStatus.hasStarted(onlyPod("errimagepull"))).isFalse();
  }

  @Test
  void aJobIsFinishedWhenItIsCompleteOrFailedNotWhileItsImageCannotBePulled() {
    assertThat(WorkloadStatus.isFinished(job("succeeded"))).isTrue();
    assertThat(WorkloadStatus.isFinished(job("exit3"))).isTrue();
    assertThat(WorkloadStatus.isFinished(job("deadline"))).isTrue();
    assertThat(WorkloadStatus.isFinished(job("running"))).isFalse();
    assertThat(WorkloadStatus.isFinished(job("errimagepull")))
        .as("the Job controller waits on")
        .isFalse();
  }

  @Test
  void thePodsHaveCaughtUpWhenTheCacheShowsEveryPodTheJobCountsAsFinished() {
    assertThat(WorkloadStatus.podsCaughtUp(job("succeeded"), pods("succeeded"))).isTrue();
    assertThat(WorkloadStatus.podsCaughtUp(job("parallel"), pods("parallel"))).isTrue();
    assertThat(WorkloadStatus.podsCaughtUp(job("exit3"), pods("exit3"))).isTrue();
    assertThat(WorkloadStatus.podsCaughtUp(job("succeeded"), List.of()))
        .as("pod not seen yet")
        .isFalse();
    assertThat(WorkloadStatus.podsCaughtUp(job("parallel"), pods("parallel").subList(0, 2)))
        .isFalse();
    assertThat(WorkloadStatus.podsCaughtUp(job("running"), List.of()))
        .as("nothing finished")
        .isTrue();
  }

  @Test
  void aJobOfSeveralPodsIsParallel() {
    assertThat(WorkloadStatus.isParallel(job("parallel"))).isTrue();
    assertThat(WorkloadStatus.isParallel(job("succeeded"))).isFalse();
  }

  @Test
  void theJobsConditionsAreReadOnlyWhenTrue() {
    assertThat(WorkloadStatus.condition(job("succeeded"), "Complete")).isPresent();
    assertThat(WorkloadStatus.condition(job("succeeded"), "Failed")).isEmpty();
    assertThat(WorkloadStatus.condition(job("running"), "Complete")).isEmpty();
  }
}
