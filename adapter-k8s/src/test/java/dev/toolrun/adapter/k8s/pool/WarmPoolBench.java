package dev.toolrun.adapter.k8s.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the warm-pool figures of docs/benchmarks.md (figure 15) need besides toolrun itself: the
 * floor of a call into a waiting pod through the API server's pod proxy, a bare Job applied with
 * {@code kubectl apply}, and a pod watch that stamps when the kubelet's report of a tool's end
 * reaches a watcher. All in the test's namespace, as the runner user where toolrun would be.
 */
final class WarmPoolBench implements AutoCloseable {
  static final String IMAGE = "kube-local.test/python:3.11";
  private static final String FLOOR_POD = "toolrun-bench-proxy-floor";
  private static final int FLOOR_PORT = 8080;

  /** A waiting Python HTTP server that runs {@code python3 -c} on each POST's body. */
  private static final String FLOOR_SERVER =
      String.join(
          "\n",
          "import http.server, subprocess",
          "class H(http.server.BaseHTTPRequestHandler):",
          "    def do_POST(self):",
          "        body = self.rfile.read(int(self.headers['Content-Length'])).decode()",
          "        out = subprocess.run(['python3', '-c', body], capture_output=True).stdout",
          "        self.send_response(200)",
          "        self.send_header('Content-Length', str(len(out)))",
          "        self.end_headers()",
          "        self.wfile.write(out)",
          "    def log_message(self, *args):",
          "        pass",
          "http.server.ThreadingHTTPServer(('', " + FLOOR_PORT + "), H).serve_forever()");

  /** The trivial tool a bare Job runs: its first and last instruction's times, on stdout. */
  static final String BARE_TOOL =
      "import time; s = time.time(); import json; print(json.dumps({'started': s, 'ended':"
          + " time.time()}))";

  private final LocalCluster cluster;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Job> jobs;

  /** Pod name → when a watcher first saw its tool container terminated. */
  private final Map<String, Instant> podEnded = new ConcurrentHashMap<>();

  /** Pod name → the instance label it carried. */
  private final Map<String, String> podInstance = new ConcurrentHashMap<>();

  /** Bare Job name → when a watcher first saw it complete. */
  private final Map<String, Instant> jobComplete = new ConcurrentHashMap<>();

  WarmPoolBench(LocalCluster cluster) {
    this.cluster = cluster;
    KubernetesClient admin = cluster.admin();
    this.pods = admin.pods().inNamespace(cluster.namespace()).inform(podHandler(), 0);
    this.jobs =
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace(cluster.namespace())
            .withLabel("toolrun.dev/bench", "bare")
            .inform(jobHandler(), 0);
  }

  private ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        seen(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        seen(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {}

      private void seen(Pod pod) {
        Instant now = Instant.now();
        String name = pod.getMetadata().getName();
        Optional.ofNullable(pod.getMetadata().getLabels())
            .map(l -> l.get("toolrun.dev/instance"))
            .ifPresent(id -> podInstance.put(name, id));
        boolean ended =
            Optional.ofNullable(pod.getStatus())
                .map(s -> s.getContainerStatuses())
                .orElse(List.of())
                .stream()
                .map(ContainerStatus::getState)
                .anyMatch(s -> s != null && s.getTerminated() != null);
        if (ended) {
          podEnded.putIfAbsent(name, now);
        }
      }
    };
  }

  private ResourceEventHandler<Job> jobHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        seen(job);
      }

      @Override
      public void onUpdate(Job old, Job job) {
        seen(job);
      }

      @Override
      public void onDelete(Job job, boolean unknown) {}

      private void seen(Job job) {
        Instant now = Instant.now();
        if (job.getStatus() != null
            && job.getStatus().getConditions() != null
            && job.getStatus().getConditions().stream()
                .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()))) {
          jobComplete.putIfAbsent(job.getMetadata().getName(), now);
        }
      }
    };
  }

  /** When a watcher first saw the tool of instance {@code id} ended, as the kubelet reported it. */
  Optional<Instant> endSeen(String id) {
    return podInstance.entrySet().stream()
        .filter(e -> e.getValue().equals(id))
        .map(e -> podEnded.get(e.getKey()))
        .filter(java.util.Objects::nonNull)
        .findFirst();
  }

  // --- the pod-proxy floor ---

  /** Starts the floor's waiting Python server and waits until it answers through the proxy. */
  void startFloor() throws Exception {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(FLOOR_POD)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(65534L)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addNewContainer()
            .withName("floor")
            .withImage(IMAGE)
            .withImagePullPolicy("IfNotPresent")
            .withCommand("python3", "-c", FLOOR_SERVER)
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    cluster.admin().pods().inNamespace(cluster.namespace()).resource(pod).create();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> floorMillis() >= 0);
  }

  /** One POST through the pod proxy, from the call to the first instruction of the python run. */
  long floorMillis() throws Exception {
    KubernetesClient runner = cluster.runner();
    String url =
        runner.getMasterUrl().toString().replaceAll("/+$", "")
            + "/api/v1/namespaces/"
            + cluster.namespace()
            + "/pods/"
            + FLOOR_POD
            + ":"
            + FLOOR_PORT
            + "/proxy/";
    HttpRequest request =
        runner
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(url)
            .post("text/plain", "import time; print(time.time())".getBytes(StandardCharsets.UTF_8))
            .build();
    Instant sent = Instant.now();
    HttpResponse<String> response =
        runner.getHttpClient().sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    if (response.code() != 200) {
      throw new IllegalStateException("the floor answered " + response.code());
    }
    double first = Double.parseDouble(response.body().strip());
    return Duration.between(sent, Instant.ofEpochMilli((long) (first * 1000))).toMillis();
  }

  // --- bare Jobs through kubectl apply ---

  /** A bare Job's run: when kubectl was started, its tool's start and end, when it was complete. */
  record BareRun(Instant applied, Instant started, Instant ended, Instant complete) {
    long firstInstructionMillis() {
      return Duration.between(applied, started).toMillis();
    }

    long completeMillis() {
      return Duration.between(applied, complete).toMillis();
    }
  }

  /**
   * Applies {@code names.size()} bare Jobs in one {@code kubectl apply -f -} as the runner, and
   * waits until every one is complete; then deletes them.
   */
  List<BareRun> applyBareJobs(List<String> names) throws Exception {
    StringBuilder manifest = new StringBuilder();
    for (String name : names) {
      manifest.append(bareJob(name)).append("\n---\n");
    }
    Process kubectl =
        new ProcessBuilder(
                "kubectl",
                "--context",
                LocalCluster.RUNNER_CONTEXT,
                "-n",
                cluster.namespace(),
                "apply",
                "-f",
                "-")
            .redirectErrorStream(true)
            .start();
    Instant applied = Instant.now();
    try (OutputStream in = kubectl.getOutputStream()) {
      in.write(manifest.toString().getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor()).as(output).isZero();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> names.stream().allMatch(jobComplete::containsKey));
    List<BareRun> runs = new ArrayList<>();
    for (String name : names) {
      Pod pod =
          cluster
              .admin()
              .pods()
              .inNamespace(cluster.namespace())
              .withLabel("job-name", name)
              .list()
              .getItems()
              .get(0);
      String log =
          cluster
              .admin()
              .pods()
              .inNamespace(cluster.namespace())
              .withName(pod.getMetadata().getName())
              .getLog()
              .strip();
      @SuppressWarnings("unchecked")
      Map<String, Object> times =
          (Map<String, Object>) dev.toolrun.domain.json.JsonText.parse(log, 4);
      runs.add(
          new BareRun(
              applied,
              seconds(times.get("started")),
              seconds(times.get("ended")),
              jobComplete.get(name)));
    }
    cluster
        .admin()
        .batch()
        .v1()
        .jobs()
        .inNamespace(cluster.namespace())
        .withLabel("toolrun.dev/bench", "bare")
        .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
        .delete();
    return runs;
  }

  private static Instant seconds(Object value) {
    return Instant.ofEpochMilli((long) (((Number) value).doubleValue() * 1000));
  }

  private static String bareJob(String name) {
    String script = BARE_TOOL.replace("'", "''");
    return """
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: %s
      labels: {toolrun.dev/bench: bare}
    spec:
      backoffLimit: 0
      template:
        metadata:
          labels: {toolrun.dev/bench: bare}
        spec:
          restartPolicy: Never
          automountServiceAccountToken: false
          securityContext:
            runAsNonRoot: true
            runAsUser: 65534
            seccompProfile: {type: RuntimeDefault}
          containers:
          - name: tool
            image: %s
            imagePullPolicy: IfNotPresent
            command: ["python3", "-c", '%s']
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
    """
        .formatted(name, IMAGE, script);
  }

  @Override
  public void close() throws IOException {
    pods.close();
    jobs.close();
    cluster.admin().pods().inNamespace(cluster.namespace()).withName(FLOOR_POD).delete();
  }
}
