package dev.switchboard.storage;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A row of {@code users}. {@code canonicalName} is the unique key, computed by the caller (the
 * auth layer's rules, which storage does not know); {@code username} is the name as chosen, for
 * display. {@code passwordHash} is a bcrypt hash and never appears in {@link #toString()}.
 *
 * @param id the application's id for the user (tokens name it)
 * @param username the name as chosen
 * @param canonicalName the unique lookup key
 * @param passwordHash bcrypt
 * @param createdAtMillis sign-up time, epoch milliseconds
 * @param disabledAtMillis when the user was disabled; empty while enabled
 */
public record UserRecord(String id, String username, String canonicalName, String passwordHash,
    long createdAtMillis, OptionalLong disabledAtMillis) {
  /** Checks that every field is present and storable. */
  public UserRecord {
    StoredText.check("user id", id);
    StoredText.check("username", username);
    StoredText.check("canonical username", canonicalName);
    StoredText.check("password hash", passwordHash);
    Objects.requireNonNull(disabledAtMillis, "disabledAtMillis");
  }

  /** An enabled user. */
  public UserRecord(String id, String username, String canonicalName, String passwordHash, long createdAtMillis) {
    this(id, username, canonicalName, passwordHash, createdAtMillis, OptionalLong.empty());
  }

  /** Whether the user is disabled (may not log in). */
  public boolean disabled() {
    return disabledAtMillis.isPresent();
  }

  @Override
  public String toString() {
    return "UserRecord{" + id + " " + username + (disabled() ? " disabled" : "") + "}"; // never the hash
  }
}
