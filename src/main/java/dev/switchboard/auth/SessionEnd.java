package dev.switchboard.auth;

/** Why a session ended; the lower-case name is what {@code session-ended} tells the client. */
public enum SessionEnd {
  /** {@code POST /auth/logout}. */
  LOGOUT,
  /** Its newest token expired. */
  EXPIRED,
  /** Pushed out by the global session limit, or its user was removed. */
  REVOKED,
  /**
   * Pushed out by a newer login of the same user beyond the per-user session limit
   * ({@code maxSessionsPerUser}): the account logged in somewhere else.
   */
  LOGGED_OUT_ELSEWHERE;

  /** The reason as {@code session-ended} carries it: lower case, words joined by {@code -}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
