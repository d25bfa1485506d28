package dev.switchboard.auth;

/**
 * A registered user. {@code username} is shown as the user chose it ("Alice"); lookups use
 * {@link Usernames#canonical} of it ("alice"). {@code passwordHash} is a bcrypt hash
 * ({@code $2a$}, {@code $2b$} or {@code $2y$}); it never leaves the server.
 */
public record User(String id, String username, String passwordHash, long createdAtMillis) {
  public String canonicalName() {
    return Usernames.canonical(username);
  }

  @Override
  public String toString() {
    return "User{" + id + " " + username + "}"; // never the hash
  }
}
