package dev.toolrun.adapter.inmemory;

import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.ToolRepositoryContractTest;

class InMemoryToolRepositoryTest extends ToolRepositoryContractTest {

  @Override
  protected ToolRepository newRepository() {
    return new InMemoryToolRepository();
  }
}
