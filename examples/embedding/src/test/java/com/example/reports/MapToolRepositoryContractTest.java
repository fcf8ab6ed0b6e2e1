package com.example.reports;

import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.ToolRepositoryContractTest;

/**
 * toolrun's contract for a {@link ToolRepository}, from the ports test-jar, run against this
 * application's own adapter: every test the in-memory and Kubernetes repositories pass, it passes.
 */
class MapToolRepositoryContractTest extends ToolRepositoryContractTest {
  @Override
  protected ToolRepository newRepository() {
    return new MapToolRepository();
  }
}
