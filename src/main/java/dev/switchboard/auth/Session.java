package dev.switchboard.auth;

/**
 * A server-side login session: what a token names with its {@code sid} claim. Immutable; a
 * refresh replaces it with a later {@code expiresAtMillis}. {@code expiresAtMillis} is the expiry
 * of the newest token issued for it, so sockets of the session live exactly as long as it does.
 */
public record Session(String id, String userId, String username, long createdAtMillis, long expiresAtMillis) {
  Session withExpiry(long expiresAt) {
    return new Session(id, userId, username, createdAtMillis, expiresAt);
  }

  public Principal principal() {
    return new Principal(userId, username, id);
  }
}
