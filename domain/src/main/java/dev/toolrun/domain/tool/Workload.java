package dev.toolrun.domain.tool;

/** What a tool runs: a container image with its command, or a script in a per-language image. */
public sealed interface Workload permits ContainerImage, Script {}
