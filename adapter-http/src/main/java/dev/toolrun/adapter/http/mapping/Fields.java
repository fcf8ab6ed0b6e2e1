package dev.toolrun.adapter.http.mapping;

import dev.toolrun.domain.error.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reading the fields of the JSON form, where an absent field is {@code null}: its default, its
 * violation when it is required, and lists whose elements each may be invalid.
 */
final class Fields {
  private Fields() {}

  /**
   * Maps each element, recording its violations under {@code field[i]}; invalid ones are left out.
   */
  static <D, T> List<T> each(List<D> dtos, String field, Function<D, T> map, Violations v) {
    if (dtos == null) {
      return List.of();
    }
    List<T> mapped = new ArrayList<>(dtos.size());
    for (int i = 0; i < dtos.size(); i++) {
      D dto = dtos.get(i);
      T value = v.attempt(field + "[" + i + "]", () -> map.apply(dto));
      if (value != null) {
        mapped.add(value);
      }
    }
    return mapped;
  }

  /** Records that {@code field} is required; returns null, to stand for the absent value. */
  static <T> T missing(Violations v, String field) {
    v.add(field, "is required");
    return null;
  }

  static <T> T orElse(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
