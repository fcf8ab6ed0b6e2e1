package dev.toolrun.cli.http;

import java.util.List;

/**
 * The server answered with an error: its status and the API's one error shape, {@code code}, {@code
 * message} and {@code details}. An answer that is not that shape (a proxy's page) gets the code
 * {@code HTTP_<status>} and its first line as the message.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final List<Detail> details;

  public ApiException(int status, String code, String message, List<Detail> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = List.copyOf(details);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<Detail> details() {
    return details;
  }

  /** One violation of a VALIDATION_FAILED error: the field's path and what is wrong with it. */
  public record Detail(String field, String message) {}
}
