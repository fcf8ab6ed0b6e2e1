package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.instance.InstanceId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Which instance holds each idempotency key, and which instances are being stored. An add reserves
 * its id and key here, creates its record (an API round trip) without holding any lock, and then
 * releases the reservation: adds are stored side by side, while one whose key another add is
 * storing waits for that add's outcome, and then finds the key taken or free again.
 */
final class LaunchReservations {
  // Guarded by this.
  private final Map<String, InstanceId> byKey = new HashMap<>();
  private final Map<InstanceId, CompletableFuture<Void>> storing = new HashMap<>();

  /**
   * Reserves {@code id} and {@code key} for a record about to be created.
   *
   * @param stored whether an instance is stored already
   * @throws ConflictException when the id is stored or being stored, or the key belongs to a stored
   *     instance
   */
  void reserve(InstanceId id, Optional<String> key, Predicate<InstanceId> stored) {
    while (true) {
      CompletableFuture<Void> other;
      synchronized (this) {
        if (stored.test(id) || storing.containsKey(id)) {
          throw new ConflictException("instance " + id + " exists already");
        }
        InstanceId holder = key.map(byKey::get).orElse(null);
        other = holder == null ? null : storing.get(holder);
        if (holder != null && other == null) {
          throw new ConflictException(
              "idempotency key '%s' belongs to instance %s".formatted(key.get(), holder));
        }
        if (other == null) {
          storing.put(id, new CompletableFuture<>());
          key.ifPresent(k -> byKey.put(k, id));
          return;
        }
      }
      // Another add is storing a record with this key: its outcome decides. join() never throws,
      // since the future is only ever completed normally.
      other.join();
    }
  }

  /**
   * Ends the reservation of {@code id}: its record was stored (and is now known to whoever checks),
   * or was not, and its key is free again.
   */
  void release(InstanceId id, Optional<String> key, boolean wasStored) {
    CompletableFuture<Void> reservation;
    synchronized (this) {
      reservation = storing.remove(id);
      if (!wasStored) {
        key.ifPresent(k -> byKey.remove(k, id));
      }
    }
    if (reservation != null) {
      reservation.complete(null);
    }
  }

  /** The instance that holds {@code key}, if one does (or is being stored with it). */
  synchronized Optional<InstanceId> holder(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** Records that {@code id}, a stored instance, holds {@code key}. */
  synchronized void hold(String key, InstanceId id) {
    byKey.put(key, id);
  }

  /** Frees {@code key}, if {@code id} holds it. */
  synchronized void free(String key, InstanceId id) {
    byKey.remove(key, id);
  }
}
