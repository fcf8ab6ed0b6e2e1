package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.tool.Quantity;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns domain records into plain documents (maps, lists, strings, numbers, booleans), stored as
 * JSON in record ConfigMaps, and back, by their record components: the stored form follows the
 * domain's own names, with no second model to keep in step.
 *
 * <p>Conventions: a record of one component is stored as that component; a record of a sealed
 * interface carries its kind in {@value #TYPE}; an empty {@link Optional} is left out; instants
 * and durations are ISO-8601 text; quantities keep their spelling. Parameters are stored as JSON
 * text, so their numbers come back exactly as they were given. Reading a document back runs the
 * records' own constructors, so a stored record is validated like a new one.
 */
final class RecordDocuments {
  static final String TYPE = "type";

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  private RecordDocuments() {}

  /** The document of {@code value}, declared as {@code type}; null for an absent value. */
  static Object write(Object value, Type type) {
    if (value == null) {
      return null;
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(v -> write(v, argument(type, 0))).orElse(null);
    }
    if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Instant || value instanceof Duration) {
      return value.toString();
    }
    if (value instanceof Quantity q) {
      return q.text();
    }
    if (value instanceof Parameters parameters) {
      return JSON.writeValueAsString(parameters.values());
    }
    if (value instanceof Collection<?> collection) {
      List<Object> list = new ArrayList<>();
      for (Object element : collection) {
        list.add(write(element, argument(type, 0)));
      }
      return list;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> document = new LinkedHashMap<>();
      map.forEach((k, v) -> document.put((String) k, write(v, argument(type, 1))));
      return document;
    }
    if (value instanceof Record record) {
      return writeRecord(record, raw(type).isSealed());
    }
    throw new IllegalArgumentException("cannot store a " + value.getClass().getName());
  }

  private static Object writeRecord(Record record, boolean tagged) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    if (components.length == 1 && !tagged) {
      return write(get(record, components[0]), components[0].getGenericType());
    }
    Map<String, Object> document = new LinkedHashMap<>();
    if (tagged) {
      document.put(TYPE, record.getClass().getSimpleName());
    }
    for (RecordComponent component : components) {
      Object written = write(get(record, component), component.getGenericType());
      if (written != null) {
        document.put(component.getName(), written);
      }
    }
    return document;
  }

  /**
   * The value of {@code type} that {@code document} holds.
   *
   * @throws IllegalArgumentException when the document does not describe a valid value
   */
  @SuppressWarnings("unchecked")
  static <T> T read(Object document, Type type) {
    return (T) readValue(document, type);
  }

  private static Object readValue(Object document, Type type) {
    Class<?> target = raw(type);
    if (target == Optional.class) {
      return document == null ? Optional.empty() : Optional.of(readValue(document, argument(type, 0)));
    }
    if (document == null) {
      if (target.isPrimitive()) {
        throw new IllegalArgumentException("a " + target + " is missing");
      }
      return null;
    }
    if (target == String.class) {
      return (String) document;
    }
    if (target == boolean.class || target == Boolean.class) {
      return (Boolean) document;
    }
    if (target == int.class || target == Integer.class) {
      return ((Number) document).intValue();
    }
    if (target == long.class || target == Long.class) {
      return ((Number) document).longValue();
    }
    if (target == BigDecimal.class) {
      return document instanceof BigDecimal d ? d : new BigDecimal(document.toString());
    }
    if (target.isEnum()) {
      return enumValue(target, (String) document);
    }
    if (target == Instant.class) {
      return Instant.parse((String) document);
    }
    if (target == Duration.class) {
      return Duration.parse((String) document);
    }
    if (target == Quantity.class) {
      return Quantity.parse((String) document);
    }
    if (target == Parameters.class) {
      return new Parameters(JSON.readValue((String) document, Map.class));
    }
    if (Collection.class.isAssignableFrom(target)) {
      Collection<Object> collection = Set.class.isAssignableFrom(target) || SortedSet.class.isAssignableFrom(target) ? new TreeSet<>() : new ArrayList<>();
      for (Object element : (List<?>) document) {
        collection.add(readValue(element, argument(type, 0)));
      }
      return collection;
    }
    if (Map.class.isAssignableFrom(target)) {
      Map<String, Object> map = SortedMap.class.isAssignableFrom(target) ? new TreeMap<>() : new LinkedHashMap<>();
      ((Map<?, ?>) document).forEach((k, v) -> map.put((String) k, readValue(v, argument(type, 1))));
      return map;
    }
    if (target.isSealed()) {
      String kind = (String) ((Map<?, ?>) document).get(TYPE);
      for (Class<?> permitted : target.getPermittedSubclasses()) {
        if (permitted.getSimpleName().equals(kind)) {
          return readRecord(document, permitted, true);
        }
      }
      throw new IllegalArgumentException("'" + kind + "' is no kind of " + target.getSimpleName());
    }
    if (target.isRecord()) {
      return readRecord(document, target, false);
    }
    throw new IllegalArgumentException("cannot read a " + target.getName());
  }

  private static Object readRecord(Object document, Class<?> type, boolean tagged) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] arguments = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      Object part = components.length == 1 && !tagged ? document : ((Map<?, ?>) document).get(components[i].getName());
      arguments[i] = readValue(part, components[i].getGenericType());
    }
    try {
      Constructor<?> canonical = type.getDeclaredConstructor(types);
      return canonical.newInstance(arguments);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("a stored " + type.getSimpleName() + " is invalid: " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build a " + type.getName(), e);
    }
  }

  private static Object get(Record record, RecordComponent component) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> type, String name) {
    return Enum.valueOf((Class<? extends Enum>) type, name);
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalArgumentException("unsupported type " + type);
  }

  private static Type argument(Type type, int index) {
    if (type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[index];
    }
    return Object.class;
  }

}
