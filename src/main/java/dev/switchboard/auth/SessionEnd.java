package dev.switchboard.auth;

/** Why a session ended; the lower-case name is what {@code session-ended} tells the client. */
public enum SessionEnd {
  /** {@code POST /auth/logout}. */
  LOGOUT,
  /** Its newest token expired. */
  EXPIRED,
  /** Pushed out by the per-user or global session limit, or its user was removed. */
  REVOKED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
