package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.ToolRepository;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Puts the stores of a {@link TestApi} out of reach on demand: while an outage lasts, every call to
 * the tool and instance repositories throws its failure, as the Kubernetes stores do when the API
 * server cannot be reached ({@code RuntimeUnavailableException}) or refuses ({@code
 * RuntimeRejectedException}). The in-memory stores cannot fail by themselves, and the API's answers
 * to a store that fails are part of its contract.
 */
final class StoreOutage {
  private final AtomicReference<ToolrunException> failure = new AtomicReference<>();

  /** From now on every store call throws {@code failure}. */
  void begin(ToolrunException failure) {
    this.failure.set(requireNonNull(failure, "failure is null"));
  }

  /** The stores answer again. */
  void end() {
    failure.set(null);
  }

  private void check() {
    ToolrunException current = failure.get();
    if (current != null) {
      throw current;
    }
  }

  /** {@code tools}, failing during an outage. */
  ToolRepository tools(ToolRepository tools) {
    return new ToolRepository() {
      @Override
      public void add(Tool tool) {
        check();
        tools.add(tool);
      }

      @Override
      public List<Tool> versions(ToolName name) {
        check();
        return tools.versions(name);
      }

      @Override
      public Page<Tool> listLatest(PageRequest page) {
        check();
        return tools.listLatest(page);
      }

      @Override
      public boolean remove(ToolName name) {
        check();
        return tools.remove(name);
      }
    };
  }

  /** {@code instances}, failing during an outage. */
  InstanceRepository instances(InstanceRepository instances) {
    return new InstanceRepository() {
      @Override
      public void add(Instance instance) {
        check();
        instances.add(instance);
      }

      @Override
      public Instance update(InstanceId id, UnaryOperator<Instance> change) {
        check();
        return instances.update(id, change);
      }

      @Override
      public Optional<Instance> find(InstanceId id) {
        check();
        return instances.find(id);
      }

      // As the store it wraps: a read during an outage then fails on the event loop, as it would.
      @Override
      public boolean findMayBlock() {
        return instances.findMayBlock();
      }

      @Override
      public Page<Instance> list(InstanceFilter filter, PageRequest page) {
        check();
        return instances.list(filter, page);
      }

      @Override
      public boolean remove(InstanceId id) {
        check();
        return instances.remove(id);
      }

      @Override
      public Optional<Instance> findByIdempotencyKey(String key) {
        check();
        return instances.findByIdempotencyKey(key);
      }

      @Override
      public void whenRemoved(Consumer<InstanceId> listener) {
        instances.whenRemoved(listener);
      }
    };
  }
}
