package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.json.JsonText;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The patch that takes one finalizer off an object and leaves the others. */
public final class Finalizers {
  private Finalizers() {}

  /**
   * The JSON patch that takes {@code finalizer} off {@code object}: it removes the finalizer where
   * {@code object} has it, once it has tested that it is still there, so it fails (422) rather than
   * take another off when the list changed, and it does not care what else changed (a status
   * written meanwhile).
   *
   * @throws IllegalArgumentException when {@code object} does not have {@code finalizer}
   */
  public static String releasePatch(HasMetadata object, String finalizer) {
    int at =
        object.getMetadata().getFinalizers() == null
            ? -1
            : object.getMetadata().getFinalizers().indexOf(finalizer);
    if (at < 0) {
      throw new IllegalArgumentException(
          object.getMetadata().getName() + " does not have the finalizer " + finalizer);
    }
    String path = JsonText.write("/metadata/finalizers/" + at);
    return "[{\"op\":\"test\",\"path\":"
        + path
        + ",\"value\":"
        + JsonText.write(finalizer)
        + "},{\"op\":\"remove\",\"path\":"
        + path
        + "}]";
  }
}
