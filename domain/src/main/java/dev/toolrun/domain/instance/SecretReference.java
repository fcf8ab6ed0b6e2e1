package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.util.regex.Pattern;

/**
 * Secret inputs given by reference: the name of a Secret that the user made in the runtime's
 * namespace, whose keys are the tool's secret input names. toolrun never reads it (it may not: its
 * Role has no right to); the run's workload gets the values from it, and its name, unlike a value,
 * may be stored and shown. Its name is a Kubernetes object name (a DNS-1123 subdomain: at most 253
 * lower-case alphanumerics, '-' and '.', starting and ending with an alphanumeric).
 */
public record SecretReference(String name) {
  public static final int MAX_LENGTH = 253;
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public SecretReference {
    requireNonNull(name, "name is null");
    if (name.isEmpty()
        || name.length() > MAX_LENGTH
        || !DNS_1123_SUBDOMAIN.matcher(name).matches()) {
      throw ValidationException.of(
          "name",
          "'%s' is not a valid Secret name: use 1 to %d lower-case letters, digits, '-' and '.',"
                  .formatted(name.length() <= 80 ? name : name.substring(0, 77) + "...", MAX_LENGTH)
              + " starting and ending with a letter or digit");
    }
  }

  @Override
  public String toString() {
    return "Secret " + name;
  }
}
