package dev.toolrun.adapter.http;

import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.tool.JsonSchema;

/**
 * How much structure a JSON request body may hold, checked in one streaming pass before anything
 * maps it into objects: parsing and holding a million empty arrays, or a body nested thousands of
 * levels deep, costs the server many times the body's size in memory, CPU and stack.
 *
 * @param maxTokens the most tokens (values, field names, brackets) a body may hold; more get 413
 *     {@code PAYLOAD_TOO_LARGE}
 * @param maxDepth the deepest a body may nest arrays and objects (a top-level {@code {}} is 1);
 *     deeper gets 400 {@code VALIDATION_FAILED} naming the top-level field it is under
 */
public record JsonLimits(int maxTokens, int maxDepth) {
  /**
   * 100,000: a tool spec at every list's limit holds a few thousand; a launch may carry parameters
   * of tens of thousands of values. A 1 MiB body of empty arrays holds 680,000.
   */
  public static final int DEFAULT_MAX_TOKENS = 100_000;

  /**
   * 500, the bound of the JSON reader beneath (Jackson's {@code StreamReadConstraints}), which the
   * adapter's mapper applies too: a deeper limit could not be honoured.
   */
  public static final int MAX_DEPTH = 500;

  /**
   * 34: parameters and tool schemas may nest 32 levels (the domain's bound), inside the body's
   * object and its field's; a shallower limit would refuse what the domain takes.
   */
  public static final int MIN_DEPTH = Math.max(Parameters.MAX_DEPTH, JsonSchema.MAX_DEPTH) + 2;

  /** What is enforced when nothing is configured: the reader's own nesting bound. */
  public static final int DEFAULT_MAX_DEPTH = MAX_DEPTH;

  public static final JsonLimits DEFAULT = new JsonLimits(DEFAULT_MAX_TOKENS, DEFAULT_MAX_DEPTH);

  public JsonLimits {
    if (maxTokens < 1) {
      throw new IllegalArgumentException(
          "the maximum number of JSON tokens must be at least 1, was " + maxTokens);
    }
    if (maxDepth < MIN_DEPTH || maxDepth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "the maximum JSON nesting depth must be from %d to %d, was %d"
              .formatted(MIN_DEPTH, MAX_DEPTH, maxDepth));
    }
  }
}
