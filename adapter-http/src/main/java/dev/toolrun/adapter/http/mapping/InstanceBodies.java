package dev.toolrun.adapter.http.mapping;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LogStatus;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JSON answer to a {@code GET} of an instance, written once per version of its record.
 *
 * <p>A client polling an instance reads the same record many times between two of its changes, and
 * writing it with Jackson (its result parsed back into a tree, its instants formatted) was the
 * largest part of a read's cost. A record is an immutable value, and the stores hand out the same
 * object until the record changes, so the bytes written for one object stay right for as long as
 * the store returns that object: a cached body is reused only for the very same record ({@code ==},
 * never {@code equals}, which costs as much as writing) with an equal queue position and log
 * status, the two parts of a view that change without the record.
 *
 * <p>The cache is a fixed array of slots, one body per slot chosen by the instance id, so it holds
 * at most {@value #SLOTS} bodies of at most {@value #MAX_CACHED_BYTES} bytes whatever is read; a
 * larger body (a launch with large parameters) is written at every read, as before. Slots are
 * replaced whole, without a lock: two readers racing on a slot at worst both write the body.
 */
public final class InstanceBodies {
  static final int SLOTS = 1024;
  static final int MAX_CACHED_BYTES = 16 * 1024;

  private final AtomicReferenceArray<Body> slots = new AtomicReferenceArray<>(SLOTS);

  /** {@code view} as the JSON of {@link InstanceMapper#toResponse(InstanceView)}; do not modify. */
  public byte[] json(InstanceView view) {
    requireNonNull(view, "view is null");
    int slot = view.instance().id().value().hashCode() & (SLOTS - 1);
    Body cached = slots.get(slot);
    if (cached != null && cached.isFor(view)) {
      return cached.json();
    }
    byte[] json = JsonCodec.write(InstanceMapper.toResponse(view));
    if (json.length <= MAX_CACHED_BYTES) {
      slots.set(slot, new Body(view.instance(), view.queuePosition(), view.log(), json));
    }
    return json;
  }

  private record Body(
      Instance instance, Optional<Integer> queuePosition, Optional<LogStatus> log, byte[] json) {
    boolean isFor(InstanceView view) {
      return instance == view.instance()
          && queuePosition.equals(view.queuePosition())
          && log.equals(view.log());
    }
  }
}
