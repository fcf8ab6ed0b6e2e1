package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolName;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Which instances a listing returns: of one tool and/or in some states; empty means any. */
public record InstanceFilter(Optional<ToolName> tool, Set<InstanceState> states) {
  public static final InstanceFilter ALL = new InstanceFilter(Optional.empty(), Set.of());

  public InstanceFilter {
    requireNonNull(tool, "tool is null");
    requireNonNull(states, "states is null");
    states = states.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(states));
  }

  /** The instances that have not ended yet. */
  public static InstanceFilter active() {
    EnumSet<InstanceState> active = EnumSet.noneOf(InstanceState.class);
    for (InstanceState s : InstanceState.values()) {
      if (!s.isTerminal()) {
        active.add(s);
      }
    }
    return new InstanceFilter(Optional.empty(), active);
  }

  public boolean matches(Instance instance) {
    return tool.map(t -> t.equals(instance.toolName())).orElse(true)
        && (states.isEmpty() || states.contains(instance.state()));
  }
}
