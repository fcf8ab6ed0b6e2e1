package dev.toolrun.adapter.mcp;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where the server finds the value of a secret input: an environment variable of its process or a
 * file (such as a mounted Kubernetes Secret). The configuration holds only this reference, never
 * the value, so it can be kept in a ConfigMap and shown in a log.
 */
public sealed interface SecretReference {
  Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * The reference written as {@code env:VARIABLE} or {@code file:/absolute/path}.
   *
   * @throws IllegalArgumentException for anything else, a literal value included
   */
  static SecretReference parse(String text) {
    requireNonNull(text, "text is null");
    if (text.startsWith("env:")) {
      return new Environment(text.substring("env:".length()));
    }
    if (text.startsWith("file:")) {
      return new File(Path.of(text.substring("file:".length())));
    }
    // The text may be a secret pasted by mistake: it must not be echoed.
    throw new IllegalArgumentException(
        "must be env:VARIABLE or file:/absolute/path; the secret's value itself never goes in the"
            + " configuration");
  }

  /** The value is the environment variable {@code name} of the server's process. */
  record Environment(String name) implements SecretReference {
    public Environment {
      requireNonNull(name, "name is null");
      if (!VARIABLE.matcher(name).matches()) {
        throw new IllegalArgumentException("'" + name + "' is not an environment variable name");
      }
    }

    @Override
    public String toString() {
      return "env:" + name;
    }
  }

  /** The value is the content of {@code path}, read at each call (a mounted Secret may change). */
  record File(Path path) implements SecretReference {
    public File {
      requireNonNull(path, "path is null");
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException("'" + path + "' is not an absolute path");
      }
    }

    @Override
    public String toString() {
      return "file:" + path;
    }
  }
}
