package dev.toolrun.domain.tool;

import java.util.regex.Pattern;

/** The Kubernetes naming rules for label keys and values, which node selectors and affinity use. */
final class LabelNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private LabelNames() {}

  /**
   * A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters.
   */
  static boolean isQualifiedName(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return false;
      }
    }
    return !name.isEmpty() && name.length() <= 63 && NAME.matcher(name).matches();
  }

  /** A label value: empty, or at most 63 alphanumerics with '-', '_' and '.' inside. */
  static boolean isValue(String value) {
    return value.isEmpty() || (value.length() <= 63 && NAME.matcher(value).matches());
  }

  /** A DNS-1123 subdomain, the rule for most Kubernetes object names. */
  static boolean isDnsSubdomain(String name) {
    return !name.isEmpty() && name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches();
  }
}
