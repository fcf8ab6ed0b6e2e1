package dev.toolrun.adapter.k8s.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.toolrun.adapter.k8s.ApiRateLimit;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API server misbehaves in front of the writer: nothing is lost and every error is clear. */
@WireMockTest
class WorkloadWriterFaultTest {
  private static final String NS = "ns";
  private static final String JOBS = "/apis/batch/v1/namespaces/ns/jobs";
  private static final String CONFIG_MAPS = "/api/v1/namespaces/ns/configmaps";
  private static final String SECRETS = "/api/v1/namespaces/ns/secrets";
  private static final String NAME = WorkloadLabels.objectName(Launches.ID);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final WorkloadObjects objects =
      new JobFactory(KubernetesConfig.localCluster(), true).desired(Launches.everything());
  private KubernetesClient client;
  private WorkloadWriter writer;

  @BeforeEach
  void connect(WireMockRuntimeInfo wireMock) {
    client = clientFor(wireMock.getHttpBaseUrl());
    writer =
        new WorkloadWriter(
            client, NS, new ApiRateLimiter(ApiRateLimit.DEFAULT), name -> Optional.empty());
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private static final int REQUEST_TIMEOUT_MS = 4000;

  private static KubernetesClient clientFor(String url) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withNamespace(NS)
            .withRequestRetryBackoffLimit(0)
            // Generous for a loaded machine, where a first request can take a second: only the slow
            // answer below is meant to time out.
            .withRequestTimeout(REQUEST_TIMEOUT_MS)
            .withConnectionTimeout(REQUEST_TIMEOUT_MS)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private Job createdJob(String instanceLabel) {
    Job job = JSON.clone(objects.job());
    job.getMetadata().setUid("1234-uid");
    job.getMetadata().getLabels().put(WorkloadLabels.INSTANCE, instanceLabel);
    return job;
  }

  private static String status(int code, String reason, String message) {
    return """
    {"kind":"Status","apiVersion":"v1","status":"Failure","message":"%s","reason":"%s","code":%d}\
    """
        .formatted(message.replace("\"", "\\\""), reason, code);
  }

  @Test
  void createsTheJobThenItsInputsAndSecretsOwnedByIt() {
    stubFor(
        post(JOBS)
            .willReturn(okJson(JSON.asJson(createdJob(Launches.ID.value()))).withStatus(201)));
    stubFor(post(CONFIG_MAPS).willReturn(aResponse().withStatus(201).withBody("{}")));
    stubFor(post(SECRETS).willReturn(aResponse().withStatus(201).withBody("{}")));

    writer.create(Launches.ID, objects);

    verify(
        postRequestedFor(urlEqualTo(CONFIG_MAPS))
            .withRequestBody(
                matchingJsonPath("$.metadata.ownerReferences[0].uid", equalTo("1234-uid"))));
    verify(
        postRequestedFor(urlEqualTo(SECRETS))
            .withRequestBody(
                matchingJsonPath("$.metadata.ownerReferences[0].kind", equalTo("Job"))));
  }

  @Test
  void aJobThatExistsAlreadyIsAdoptedAndTheMissingObjectsAreCreated() {
    stubFor(
        post(JOBS)
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withBody(
                        status(
                            409, "AlreadyExists", "jobs.batch \"" + NAME + "\" already exists"))));
    stubFor(
        get(JOBS + "/" + NAME).willReturn(okJson(JSON.asJson(createdJob(Launches.ID.value())))));
    stubFor(
        post(CONFIG_MAPS)
            .willReturn(
                aResponse().withStatus(409).withBody(status(409, "AlreadyExists", "exists"))));
    stubFor(post(SECRETS).willReturn(aResponse().withStatus(201).withBody("{}")));

    assertThatCode(() -> writer.create(Launches.ID, objects)).doesNotThrowAnyException();
    verify(
        postRequestedFor(urlEqualTo(SECRETS))
            .withRequestBody(
                matchingJsonPath("$.metadata.ownerReferences[0].uid", equalTo("1234-uid"))));
  }

  @Test
  void aJobOfTheSameNameThatBelongsToSomethingElseIsNotAdopted() {
    stubFor(
        post(JOBS)
            .willReturn(
                aResponse().withStatus(409).withBody(status(409, "AlreadyExists", "exists"))));
    stubFor(
        get(JOBS + "/" + NAME)
            .willReturn(okJson(JSON.asJson(createdJob("0193a9b2-7c1d-7aaa-8bbb-ffffffffffff")))));

    assertThatThrownBy(() -> writer.create(Launches.ID, objects))
        .isInstanceOf(RuntimeRejectedException.class)
        .hasMessageContaining("does not belong to instance " + Launches.ID);
  }

  @Test
  void aMissingPermissionNamesTheVerbAndResource() {
    String message =
        "jobs.batch is forbidden: User \"runner\" cannot create resource \"jobs\" in API group"
            + " \"batch\" in the namespace \"ns\"";
    stubFor(
        post(JOBS)
            .willReturn(aResponse().withStatus(403).withBody(status(403, "Forbidden", message))));

    assertThatThrownBy(() -> writer.create(Launches.ID, objects))
        .isInstanceOfSatisfying(
            RuntimeRejectedException.class,
            e -> assertThat(e.kind()).isEqualTo(RuntimeRejectedException.Kind.FORBIDDEN))
        .hasMessageContaining("cannot create resource \"jobs\"")
        .hasMessageContaining("deploy/");
  }

  @Test
  void anExceededQuotaIsReportedAsSuch() {
    String message =
        "jobs.batch is forbidden: exceeded quota: compute, requested: requests.cpu=1, used:"
            + " requests.cpu=4, limited: requests.cpu=4";
    stubFor(
        post(JOBS)
            .willReturn(aResponse().withStatus(403).withBody(status(403, "Forbidden", message))));

    assertThatThrownBy(() -> writer.create(Launches.ID, objects))
        .isInstanceOfSatisfying(
            RuntimeRejectedException.class,
            e -> assertThat(e.kind()).isEqualTo(RuntimeRejectedException.Kind.QUOTA_EXCEEDED))
        .hasMessageContaining("exceeded quota");
  }

  @Test
  void anInvalidObjectQuotesTheServer() {
    stubFor(
        post(JOBS)
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withBody(
                        status(
                            422,
                            "Invalid",
                            "Job.batch is invalid: spec.template.spec.containers[0].image: Required"
                                + " value"))));

    assertThatThrownBy(() -> writer.create(Launches.ID, objects))
        .isInstanceOfSatisfying(
            RuntimeRejectedException.class,
            e -> assertThat(e.kind()).isEqualTo(RuntimeRejectedException.Kind.INVALID_OBJECT))
        .hasMessageContaining("Required value");
  }

  @Test
  void serverErrorsAndSlowAnswersAreTransient() {
    stubFor(
        post(JOBS)
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withBody(status(503, "ServiceUnavailable", "etcd is busy"))));
    assertThatThrownBy(() -> writer.create(Launches.ID, objects))
        .isInstanceOf(RuntimeUnavailableException.class)
        .hasMessageContaining("HTTP 503");

    stubFor(
        post(JOBS)
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withFixedDelay(REQUEST_TIMEOUT_MS + 3000)
                    .withBody("{}")));
    assertThatThrownBy(() -> writer.create(Launches.ID, objects))
        .isInstanceOf(RuntimeUnavailableException.class);
  }

  @Test
  void anUnreachableServerIsTransientAndSaysSo() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (KubernetesClient unreachable = clientFor("http://127.0.0.1:" + closedPort)) {
      WorkloadWriter w =
          new WorkloadWriter(
              unreachable, NS, new ApiRateLimiter(ApiRateLimit.DEFAULT), n -> Optional.empty());

      assertThatThrownBy(() -> w.create(Launches.ID, objects))
          .isInstanceOf(RuntimeUnavailableException.class)
          .hasMessageContaining("could not be reached");
    }
  }

  @Test
  void aLaunchInterruptedHalfWayCompletesWhenRetried() {
    stubFor(
        post(JOBS)
            .inScenario("retry")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson(JSON.asJson(createdJob(Launches.ID.value()))).withStatus(201))
            .willSetStateTo("job created"));
    stubFor(
        post(CONFIG_MAPS)
            .inScenario("retry")
            .whenScenarioStateIs("job created")
            .willReturn(
                aResponse().withStatus(503).withBody(status(503, "ServiceUnavailable", "down")))
            .willSetStateTo("api back"));
    stubFor(
        post(JOBS)
            .inScenario("retry")
            .whenScenarioStateIs("api back")
            .willReturn(
                aResponse().withStatus(409).withBody(status(409, "AlreadyExists", "exists"))));
    stubFor(
        get(JOBS + "/" + NAME).willReturn(okJson(JSON.asJson(createdJob(Launches.ID.value())))));
    stubFor(
        post(CONFIG_MAPS)
            .inScenario("retry")
            .whenScenarioStateIs("api back")
            .willReturn(aResponse().withStatus(201).withBody("{}")));
    stubFor(post(SECRETS).willReturn(aResponse().withStatus(201).withBody("{}")));

    assertThatThrownBy(() -> writer.create(Launches.ID, objects))
        .isInstanceOf(RuntimeUnavailableException.class);
    writer.create(Launches.ID, objects);

    verify(2, postRequestedFor(urlEqualTo(CONFIG_MAPS)));
    verify(1, postRequestedFor(urlEqualTo(SECRETS)));
  }

  @Test
  void deletingWhatIsGoneIsFineAndAnOutageIsTransient() {
    stubFor(
        delete(urlPathEqualTo(JOBS + "/" + NAME))
            .willReturn(aResponse().withStatus(404).withBody(status(404, "NotFound", "gone"))));
    assertThatCode(() -> writer.delete(Launches.ID)).doesNotThrowAnyException();

    stubFor(
        delete(urlPathEqualTo(JOBS + "/" + NAME))
            .willReturn(
                aResponse().withStatus(500).withBody(status(500, "InternalError", "boom"))));
    assertThatThrownBy(() -> writer.delete(Launches.ID))
        .isInstanceOf(RuntimeUnavailableException.class);
  }
}
