package dev.toolrun.adapter.http.dto;

import java.time.Instant;

/**
 * An instance in a list: what tells it apart at a glance, without what it carries (parameters,
 * result, history, log lines), so that a page's bytes are bounded by its length and not by what was
 * launched. The whole instance is read by its id.
 *
 * @param failure its kind and message only
 */
public record InstanceSummary(
    String id,
    String tool,
    int toolVersion,
    String mode,
    String state,
    Instant createdAt,
    Instant updatedAt,
    Integer queuePosition,
    Integer exitCode,
    InstanceResponse.FailureDto failure) {}
