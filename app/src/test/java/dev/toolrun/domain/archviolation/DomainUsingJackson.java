package dev.toolrun.domain.archviolation;

/** Breaks the rules on purpose: a domain class that uses Jackson. */
public final class DomainUsingJackson {
  public Object mapper() {
    return tools.jackson.databind.json.JsonMapper.builder().build();
  }
}
