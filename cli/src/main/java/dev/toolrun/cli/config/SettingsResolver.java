package dev.toolrun.cli.config;

import static java.util.Objects.requireNonNull;

import dev.toolrun.cli.json.DocumentException;
import dev.toolrun.cli.json.Documents;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Finds the server URL and token: a flag ({@code --url}, {@code --token}) wins over the environment
 * ({@code TOOLRUN_URL}, {@code TOOLRUN_TOKEN}), which wins over the config file, which wins over
 * the default URL {@value #DEFAULT_URL} (and no token).
 *
 * <p>The config file is {@code --config FILE}, else {@code $TOOLRUN_CONFIG}, else {@code
 * $XDG_CONFIG_HOME/toolrun/config.yaml}, else {@code ~/.config/toolrun/config.yaml}. It is YAML (or
 * JSON) with the keys {@code url} and {@code token}, and no others. A file named by the flag or the
 * variable must exist; the default one may be absent.
 */
public final class SettingsResolver {
  public static final String DEFAULT_URL = "http://localhost:8080";
  private static final Set<String> KEYS = Set.of("url", "token");

  private final Map<String, String> environment;
  private final Path home;

  public SettingsResolver(Map<String, String> environment, Path home) {
    this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    this.home = requireNonNull(home, "home is null");
  }

  /** The settings for the given flags (each absent when not given). */
  public ClientSettings resolve(
      Optional<String> urlFlag, Optional<String> tokenFlag, Optional<Path> configFlag) {
    Map<String, String> file = new LinkedHashMap<>();
    Optional<Path> configFile = configFile(configFlag);
    configFile.ifPresent(path -> file.putAll(read(path)));
    String fileSource = configFile.map(path -> "config file " + path).orElse("");

    String urlSource;
    String url;
    if (urlFlag.isPresent()) {
      url = urlFlag.get();
      urlSource = "--url";
    } else if (present(environment.get("TOOLRUN_URL"))) {
      url = environment.get("TOOLRUN_URL");
      urlSource = "TOOLRUN_URL";
    } else if (file.containsKey("url")) {
      url = file.get("url");
      urlSource = fileSource;
    } else {
      url = DEFAULT_URL;
      urlSource = "the default";
    }

    Optional<String> token;
    String tokenSource;
    if (tokenFlag.isPresent()) {
      token = tokenFlag;
      tokenSource = "--token";
    } else if (present(environment.get("TOOLRUN_TOKEN"))) {
      token = Optional.of(environment.get("TOOLRUN_TOKEN"));
      tokenSource = "TOOLRUN_TOKEN";
    } else if (file.containsKey("token")) {
      token = Optional.of(file.get("token"));
      tokenSource = fileSource;
    } else {
      token = Optional.empty();
      tokenSource = "nowhere (no --token, TOOLRUN_TOKEN or token in a config file)";
    }
    return new ClientSettings(parseUrl(url, urlSource), urlSource, token, tokenSource);
  }

  private Optional<Path> configFile(Optional<Path> configFlag) {
    if (configFlag.isPresent()) {
      return Optional.of(mustExist(configFlag.get(), "--config"));
    }
    if (present(environment.get("TOOLRUN_CONFIG"))) {
      return Optional.of(mustExist(Path.of(environment.get("TOOLRUN_CONFIG")), "TOOLRUN_CONFIG"));
    }
    Path base =
        present(environment.get("XDG_CONFIG_HOME"))
            ? Path.of(environment.get("XDG_CONFIG_HOME"))
            : home.resolve(".config");
    Path defaultFile = base.resolve("toolrun").resolve("config.yaml");
    return Files.isRegularFile(defaultFile) ? Optional.of(defaultFile) : Optional.empty();
  }

  private static Path mustExist(Path file, String namedBy) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "the config file " + file + " (from " + namedBy + ") does not exist");
    }
    return file;
  }

  private static Map<String, String> read(Path file) {
    JsonNode document;
    try {
      document = Documents.parse(Documents.read(file), "the config file " + file);
    } catch (DocumentException e) {
      throw new ConfigException(e.getMessage());
    }
    if (!document.isObject()) {
      throw new ConfigException(
          "the config file " + file + " must be a mapping with url and token");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : document.properties()) {
      if (!KEYS.contains(entry.getKey())) {
        throw new ConfigException(
            "the config file "
                + file
                + " has an unknown key '"
                + entry.getKey()
                + "' (known: url, token)");
      }
      if (!entry.getValue().isString()) {
        throw new ConfigException(
            "the config file " + file + ": '" + entry.getKey() + "' must be a string");
      }
      values.put(entry.getKey(), entry.getValue().asString());
    }
    return values;
  }

  private static URI parseUrl(String value, String source) {
    String trimmed = value.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    try {
      URI uri = new URI(trimmed);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null
          || uri.getQuery() != null
          || uri.getFragment() != null) {
        throw new URISyntaxException(value, "not an http or https URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(
          "the server URL '"
              + value
              + "' (from "
              + source
              + ") is not an http:// or https:// URL with a host");
    }
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
