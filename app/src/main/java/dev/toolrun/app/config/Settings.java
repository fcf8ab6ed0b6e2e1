package dev.toolrun.app.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Raw configuration values with their origin, read one typed key at a time. An environment variable
 * ({@code TOOLRUN_} and the key in upper case, '.' and '-' as '_') overrides the file. Every
 * problem is collected, and keys or variables that nobody read are problems too: a typo must stop
 * startup, not be ignored.
 */
final class Settings {
  static final String ENV_PREFIX = "TOOLRUN_";

  private final Map<String, String> file;
  private final String fileName;
  private final Map<String, String> environment;
  private final Set<String> read = new HashSet<>();
  private final Set<String> readVariables = new HashSet<>();
  private final List<String> problems = new ArrayList<>();

  /**
   * @param environment every environment variable; only those starting with {@value #ENV_PREFIX}
   *     are looked at
   * @param ignoredVariables variables with the prefix that are not configuration keys
   */
  Settings(
      Map<String, String> file,
      String fileName,
      Map<String, String> environment,
      Set<String> ignoredVariables) {
    this.file = new TreeMap<>(requireNonNull(file, "file is null"));
    this.fileName = requireNonNull(fileName, "fileName is null");
    this.environment = new TreeMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && !ignoredVariables.contains(name)) {
            this.environment.put(name, value);
          }
        });
  }

  /** The environment variable that overrides {@code key}. */
  static String variableOf(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private Optional<Source> raw(String key) {
    read.add(key);
    String variable = variableOf(key);
    readVariables.add(variable);
    if (environment.containsKey(variable)) {
      return Optional.of(new Source(environment.get(variable).strip(), variable));
    }
    if (file.containsKey(key)) {
      return Optional.of(new Source(file.get(key).strip(), key + " (in " + fileName + ")"));
    }
    return Optional.empty();
  }

  private record Source(String value, String origin) {}

  void problem(String message) {
    problems.add(message);
  }

  Optional<String> optionalString(String key) {
    return raw(key).map(Source::value).filter(v -> !v.isEmpty());
  }

  String string(String key, String fallback) {
    return optionalString(key).orElse(fallback);
  }

  int integer(String key, int fallback, int min, int max) {
    return parsed(
        key,
        fallback,
        text -> {
          int value = Integer.parseInt(text);
          if (value < min || value > max) {
            throw new IllegalArgumentException("must be between %d and %d".formatted(min, max));
          }
          return value;
        },
        "an integer");
  }

  long longValue(String key, long fallback, long min, long max) {
    return parsed(
        key,
        fallback,
        text -> {
          long value = Long.parseLong(text);
          if (value < min || value > max) {
            throw new IllegalArgumentException("must be between %d and %d".formatted(min, max));
          }
          return value;
        },
        "an integer");
  }

  double decimal(String key, double fallback) {
    return parsed(key, fallback, Double::parseDouble, "a number");
  }

  boolean bool(String key, boolean fallback) {
    return parsed(
        key,
        fallback,
        text ->
            switch (text.toLowerCase(Locale.ROOT)) {
              case "true" -> true;
              case "false" -> false;
              default -> throw new IllegalArgumentException("must be true or false");
            },
        "true or false");
  }

  Duration seconds(String key, Duration fallback, long maxSeconds) {
    return Duration.ofSeconds(longValue(key, fallback.toSeconds(), 0, maxSeconds));
  }

  Duration millis(String key, Duration fallback, long maxMillis) {
    return Duration.ofMillis(longValue(key, fallback.toMillis(), 0, maxMillis));
  }

  /** One of {@code names} (keys are the accepted spellings). */
  <E> E choice(String key, E fallback, Map<String, E> names) {
    return parsed(
        key,
        fallback,
        text -> {
          E value = names.get(text);
          if (value == null) {
            throw new IllegalArgumentException(
                "must be one of " + String.join(", ", names.keySet()));
          }
          return value;
        },
        "one of " + String.join(", ", names.keySet()));
  }

  /** A comma-separated list of {@code key=value} pairs. */
  Map<String, String> pairs(String key) {
    Map<String, String> pairs = new LinkedHashMap<>();
    optionalString(key)
        .ifPresent(
            text -> {
              for (String item : text.split(",")) {
                String pair = item.strip();
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                  problem(originOf(key) + ": '" + pair + "' is not of the form key=value");
                } else {
                  pairs.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
              }
            });
    return pairs;
  }

  /** A comma-separated list. */
  List<String> list(String key) {
    return optionalString(key)
        .map(
            text ->
                Arrays.stream(text.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList())
        .orElse(List.of());
  }

  /**
   * Every key of the file under {@code prefix}, with its value; they count as read. Such keys have
   * no environment variable: the key's mapping to a variable name cannot be reversed.
   */
  Map<String, String> fileKeysUnder(String prefix) {
    Map<String, String> found = new TreeMap<>();
    file.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            read.add(key);
            found.put(key, value.strip());
          }
        });
    return found;
  }

  /** Where a key read by {@link #fileKeysUnder} came from. */
  String fileOriginOf(String key) {
    return key + " (in " + fileName + ")";
  }

  String originOf(String key) {
    return raw(key).map(Source::origin).orElse(key);
  }

  private <T> T parsed(String key, T fallback, Function<String, T> parser, String expected) {
    Optional<Source> source = raw(key);
    if (source.isEmpty() || source.get().value().isEmpty()) {
      return fallback;
    }
    try {
      return parser.apply(source.get().value());
    } catch (NumberFormatException e) {
      problem(
          "%s: '%s' is not %s".formatted(source.get().origin(), source.get().value(), expected));
    } catch (IllegalArgumentException e) {
      problem("%s: '%s' %s".formatted(source.get().origin(), source.get().value(), e.getMessage()));
    }
    return fallback;
  }

  /** Throws every problem found, plus the keys and variables nobody read. */
  void throwIfAnyProblem() {
    List<String> all = new ArrayList<>(problems);
    for (String key : file.keySet()) {
      if (!read.contains(key)) {
        all.add("%s (in %s): unknown configuration key".formatted(key, fileName));
      }
    }
    for (String variable : environment.keySet()) {
      if (!readVariables.contains(variable)) {
        all.add(
            "%s: unknown environment variable; no configuration key maps to it"
                .formatted(variable));
      }
    }
    if (!all.isEmpty()) {
      throw new ConfigException(all);
    }
  }
}
