package dev.toolrun.domain.tool;

/** The protocol a service instance speaks on its port. */
public enum Protocol {
  /** HTTP/1.1: requests are forwarded with their method, path, headers and body. */
  HTTP,
  /** gRPC; only runtimes that list it in their capabilities accept it. */
  GRPC
}
