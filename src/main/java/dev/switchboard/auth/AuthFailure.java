package dev.switchboard.auth;

/**
 * Why a token was not accepted. The messages are part of the public contract (the handshake's
 * {@code connect_error} and the HTTP 401 bodies, spec-notes/authentication.md), as are the codes
 * clients switch on ({@code err.data.code}).
 */
public enum AuthFailure {
  /** No token at all, or not a string. */
  TOKEN_REQUIRED("Authentication token required"),
  /** Malformed, forged, another algorithm, issuer, audience or type: nothing is said of which. */
  AUTH_FAILED("Authentication failed"),
  /** The signature is ours and valid, but the token's {@code exp} has passed. */
  TOKEN_EXPIRED("Token expired"),
  /** The signature is ours and valid, but its session was revoked (logout) or is unknown. */
  SESSION_EXPIRED("Session expired"),
  /**
   * The token could not be checked: its session is not in this node's memory and the database
   * is away. Nothing is wrong with the token; try again later.
   */
  UNAVAILABLE("Service temporarily unavailable, try again later");

  private final String message;

  AuthFailure(String message) {
    this.message = message;
  }

  public String message() {
    return message;
  }

  /** The machine-readable code, e.g. {@code TOKEN_EXPIRED}. */
  public String code() {
    return name();
  }
}
