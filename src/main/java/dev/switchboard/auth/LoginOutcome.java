package dev.switchboard.auth;

/** How a login or sign-up ended; counted by outcome for {@code /metrics}. */
public enum LoginOutcome {
  SUCCESS,
  /** Wrong user or password (401). */
  INVALID_CREDENTIALS,
  /** Sign-up: the name is taken (409). */
  TAKEN,
  /** Over the failure or sign-up limit (429): no password was checked. */
  THROTTLED,
  /** Refused before any check: malformed body, missing fields (400). Not counted as a failure. */
  MALFORMED,
  /** The bcrypt pool's queue was full, or the user store is full (503). */
  BUSY,
  /** Sign-up is switched off (403). */
  DISABLED,
  /** The database could not be reached (503 with {@code Retry-After}); nothing was changed. */
  UNAVAILABLE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
