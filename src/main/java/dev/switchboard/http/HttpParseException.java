package dev.switchboard.http;

/**
 * A request we refuse, with the status to answer before closing the connection (400, 413, 414,
 * 431, 501, 505) and a short exact sentence saying why.
 */
public final class HttpParseException extends Exception {
  private final int status;

  public HttpParseException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
