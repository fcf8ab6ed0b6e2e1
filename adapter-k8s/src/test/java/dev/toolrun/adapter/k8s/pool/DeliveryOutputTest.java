package dev.toolrun.adapter.k8s.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.k8s.job.PoolRunner;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A delivery's standard output read as the exec's frames bring it, split anywhere: the delivered
 * line, then the runner's report of the tool's end, whose message is counted in bytes.
 */
class DeliveryOutputTest {
  private static final String DELIVERED = PoolRunner.DELIVERED + "\n";

  @Test
  void theRunIsDeliveredOnItsLineAndEndsOnceTheWholeMessageCame() {
    DeliveryOutput output = new DeliveryOutput();
    String message = "{\"greeting\":\"héllo\"}";
    int bytes = message.getBytes(StandardCharsets.UTF_8).length;
    byte[] all =
        (DELIVERED + PoolRunner.ENDED + " 0 " + bytes + "\n" + message)
            .getBytes(StandardCharsets.UTF_8);

    for (int i = 0; i < all.length; i++) {
      assertThat(output.delivered()).isEqualTo(i >= DELIVERED.length());
      assertThat(output.end()).isEmpty();
      output.append(new byte[] {all[i]});
    }

    assertThat(output.delivered()).isTrue();
    assertThat(output.end()).contains(new DeliveryOutput.End(0, Optional.of(message)));
  }

  @Test
  void aToolThatWroteNoMessageEndsWithNone() {
    DeliveryOutput output = new DeliveryOutput();
    output.append((DELIVERED + PoolRunner.ENDED + " 143 0\n").getBytes(StandardCharsets.UTF_8));

    assertThat(output.end()).contains(new DeliveryOutput.End(143, Optional.empty()));
  }

  @Test
  void aReportWithoutTheDeliveredLineIsNotRead() {
    DeliveryOutput output = new DeliveryOutput();
    output.append((PoolRunner.ENDED + " 0 0\n").getBytes(StandardCharsets.UTF_8));

    assertThat(output.delivered()).isFalse();
    assertThat(output.end()).isEmpty();
  }
}
