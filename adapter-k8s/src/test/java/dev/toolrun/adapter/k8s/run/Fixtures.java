package dev.toolrun.adapter.k8s.run;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Jobs and pods captured from a real cluster (kube-local, Kubernetes 1.20), by scenario. */
final class Fixtures {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Fixtures() {}

  static Job job(String scenario) {
    return load("job-" + scenario + ".json", Job.class);
  }

  static List<Pod> pods(String scenario) {
    return load("pods-" + scenario + ".json", PodList.class).getItems();
  }

  private static <T> T load(String file, Class<T> type) {
    try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + file)) {
      return SERIALIZATION.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
