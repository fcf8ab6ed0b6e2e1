package dev.toolrun.ports.in;

import java.util.List;

/** Whether toolrun can do its work now, for a readiness probe. */
public interface CheckReadinessUseCase {

  /** The readiness now; answers at once, without calling the runtime. */
  Readiness check();

  /**
   * @param problems why toolrun cannot do its work, one sentence each; empty when it can
   */
  record Readiness(List<String> problems) {
    public static final Readiness READY = new Readiness(List.of());

    public Readiness {
      problems = List.copyOf(problems);
    }

    public boolean ready() {
      return problems.isEmpty();
    }
  }
}
