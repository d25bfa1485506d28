package dev.switchboard.storage;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A row of {@code sessions}: a login, named by the {@code sid} of its tokens.
 *
 * @param id the session id (the caller generates it)
 * @param userId the user's id; the session is deleted with the user
 * @param createdAtMillis epoch milliseconds
 * @param expiresAtMillis the expiry of its newest token, epoch milliseconds
 * @param revokedAtMillis when logout (or an administrator) ended it; empty while not revoked
 */
public record SessionRecord(String id, String userId, long createdAtMillis, long expiresAtMillis,
    OptionalLong revokedAtMillis) {
  /** Checks that every field is present and storable. */
  public SessionRecord {
    StoredText.check("session id", id);
    StoredText.check("user id", userId);
    Objects.requireNonNull(revokedAtMillis, "revokedAtMillis");
  }

  /** A new, unrevoked session. */
  public SessionRecord(String id, String userId, long createdAtMillis, long expiresAtMillis) {
    this(id, userId, createdAtMillis, expiresAtMillis, OptionalLong.empty());
  }

  /** Not revoked and not expired at {@code nowMillis}. */
  public boolean isLive(long nowMillis) {
    return revokedAtMillis.isEmpty() && nowMillis < expiresAtMillis;
  }
}
