package dev.toolrun.adapter.k8s.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class InformersTest {
  private static KubernetesClientException answered(int code) {
    return new KubernetesClientException("answered " + code, code, null);
  }

  @Test
  void aRefusalBeforeTheFirstSyncEndsTheStartButAnOutageIsWaitedOut() {
    assertThat(Informers.retry(false, answered(403))).isFalse();
    assertThat(Informers.retry(false, new CompletionException(answered(401)))).isFalse();
    assertThat(Informers.retry(false, answered(503))).isTrue();
    assertThat(
            Informers.retry(
                false, new KubernetesClientException("down", new ConnectException("refused"))))
        .isTrue();
  }

  @Test
  void onceSyncedEveryFailureIsRetried() {
    // A Role removed while toolrun runs must not stop its watches for good: restoring it heals.
    assertThat(Informers.retry(true, answered(403))).isTrue();
  }
}
