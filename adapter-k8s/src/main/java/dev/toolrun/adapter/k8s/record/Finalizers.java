package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.json.JsonText;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** The patch that takes one finalizer off an object and leaves the others. */
public final class Finalizers {
  private Finalizers() {}

  /**
   * The JSON merge patch that takes {@code finalizer} off {@code object}: its list of finalizers
   * without that one (a merge patch replaces a list whole), or null when none is left, which takes
   * the field away; refused if the object changed since it was read, so that a finalizer someone
   * added meanwhile is not lost.
   */
  public static String releasePatch(HasMetadata object, String finalizer) {
    List<String> rest = new ArrayList<>(object.getMetadata().getFinalizers());
    rest.remove(finalizer);
    return "{\"metadata\":{\"resourceVersion\":"
        + JsonText.write(object.getMetadata().getResourceVersion())
        + ",\"finalizers\":"
        + (rest.isEmpty() ? "null" : JsonText.write(rest))
        + "}}";
  }
}
