package dev.toolrun.ports.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.ports.out.RuntimeCapabilities.Capability;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeCapabilitiesTest {
  private final RuntimeCapabilities scaling =
      new RuntimeCapabilities("test", EnumSet.of(Capability.SCALING), Set.of(Protocol.HTTP));

  @Test
  void aRuntimeHasExactlyTheCapabilitiesItNames() {
    assertThat(scaling.has(Capability.SCALING)).isTrue();
    assertThat(EnumSet.complementOf(EnumSet.of(Capability.SCALING)))
        .allSatisfy(c -> assertThat(scaling.has(c)).as("%s", c).isFalse());
  }

  @Test
  void withAddsOrRemovesOneCapabilityAndKeepsTheRest() {
    RuntimeCapabilities restricted = scaling.with(Capability.RESTRICTED_POD_SECURITY, true);

    assertThat(restricted.capabilities())
        .containsExactlyInAnyOrder(Capability.SCALING, Capability.RESTRICTED_POD_SECURITY);
    assertThat(restricted.with(Capability.SCALING, false).capabilities())
        .containsExactly(Capability.RESTRICTED_POD_SECURITY);
    assertThat(restricted.name()).isEqualTo("test");
    assertThat(restricted.protocols()).containsExactly(Protocol.HTTP);
    assertThat(scaling.capabilities()).containsExactly(Capability.SCALING);
  }

  @Test
  void itKeepsItsOwnCopyOfTheSetsItWasGiven() {
    EnumSet<Capability> given = EnumSet.of(Capability.METRICS);
    RuntimeCapabilities metrics = new RuntimeCapabilities("test", given, Set.of());

    given.add(Capability.HOT_RELOAD);

    assertThat(metrics.capabilities()).containsExactly(Capability.METRICS);
    assertThatThrownBy(() -> metrics.capabilities().add(Capability.SCALING))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
