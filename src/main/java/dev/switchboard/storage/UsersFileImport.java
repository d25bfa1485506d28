package dev.switchboard.storage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The one-time import of the users file that earlier versions kept ({@code DATA_DIR/users.json},
 * written by {@code auth.FileUserStore}; its format is in spec-notes/storage.md §Import), so that
 * no user loses access on the first start with a database.
 *
 * <p>Once: the first run that finds the file and an empty users table copies every user (same id,
 * name, hash and sign-up time, so existing tokens' user ids stay valid) and records the import in
 * {@code storage_imports}, in one transaction; every later run sees that row and does nothing. If
 * the table already has users (and no import was recorded), the file is not merged into them: the
 * run records that it skipped it. A file that cannot be read as a whole — not JSON, wrong shape, a
 * user without id, name or bcrypt hash, two users with one id or one canonical name — is refused
 * with {@link CorruptUsersFileException} before anything is written. The file itself is only ever
 * read: it stays as it was, whatever happens.
 *
 * <pre>{@code
 * UsersFileImport.Result r = UsersFileImport.run(db, dataDir.resolve("users.json"), Usernames::canonical, now);
 * if (r.outcome() == UsersFileImport.Outcome.IMPORTED) LOG.info(r.message());
 * }</pre>
 *
 * <p>Threading: blocking (file and JDBC); the thread that opens the database, at startup.
 */
public final class UsersFileImport {
  /** The {@code storage_imports} row that marks the import. */
  static final String MARKER = "users.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  /** A bcrypt hash, as jBCrypt writes it: {@code $2a$12$} and 53 characters of its base-64. */
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

  private UsersFileImport() {}

  /** What a run did. */
  public enum Outcome {
    /** The users were copied into the empty table; recorded. */
    IMPORTED,
    /** An earlier run recorded an import (or a skip): nothing read, nothing done. */
    ALREADY_DONE,
    /** There is no users file: nothing to import, nothing recorded (a file that turns up later is still imported). */
    NO_FILE,
    /** The table already had users: the file was left out, and that is recorded. */
    SKIPPED_NOT_EMPTY
  }

  /**
   * What a run did, and one sentence saying so, for the log.
   *
   * @param outcome what happened
   * @param users how many users were imported (0 unless {@link Outcome#IMPORTED})
   * @param message a sentence naming the file
   */
  public record Result(Outcome outcome, int users, String message) {}

  /** The users file could not be imported as a whole; nothing was written and the file is untouched. */
  public static final class CorruptUsersFileException extends StorageException {
    private static final long serialVersionUID = 1L;

    CorruptUsersFileException(Path file, String reason, Throwable cause) {
      super(file + " cannot be imported: " + reason + ". It was left as it is: repair it, or move it away"
          + " to start without its users", cause);
    }
  }

  /**
   * Imports {@code usersFile} into {@code db} if that was never done; {@code canonical} is the
   * application's canonical form of a user name (the unique key), {@code nowMillis} the time to
   * record.
   */
  public static Result run(Database db, Path usersFile, UnaryOperator<String> canonical, long nowMillis) {
    if (isRecorded(db)) {
      return new Result(Outcome.ALREADY_DONE, 0, usersFile + " was already dealt with earlier; it is not read again");
    }
    List<UserRecord> users;
    try {
      users = read(usersFile, canonical);
    } catch (NoSuchFileException e) {
      return new Result(Outcome.NO_FILE, 0, "no " + usersFile + " to import");
    }
    return db.transaction("import " + usersFile, c -> {
      db.dialect().lockForMigration(c); // another node may be importing at this moment
      if (isRecorded(c)) {
        return new Result(Outcome.ALREADY_DONE, 0, usersFile + " was already dealt with earlier; it is not read again");
      }
      int existing;
      try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM users");
          ResultSet rs = st.executeQuery()) {
        rs.next();
        existing = rs.getInt(1);
      }
      Result result;
      if (existing > 0) {
        result = new Result(Outcome.SKIPPED_NOT_EMPTY, 0, usersFile + " was not imported: the database already has "
            + existing + " users; the file is left as it is and will not be read again");
      } else {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO users"
            + " (id, username, canonical_name, password_hash, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?)")) {
          for (UserRecord u : users) {
            UserRepository.bind(st, u);
            st.addBatch();
          }
          st.executeBatch();
        }
        result = new Result(Outcome.IMPORTED, users.size(), "imported " + users.size() + " users from " + usersFile
            + " into " + db.url().masked() + "; the file is no longer used and is left as it is");
      }
      try (PreparedStatement st = c.prepareStatement(
          "INSERT INTO storage_imports (name, done_at, outcome) VALUES (?, ?, ?)")) {
        st.setString(1, MARKER);
        st.setLong(2, nowMillis);
        st.setString(3, result.outcome().name());
        st.executeUpdate();
      }
      return result;
    });
  }

  private static boolean isRecorded(Database db) {
    return db.read("read the import record", UsersFileImport::isRecorded);
  }

  private static boolean isRecorded(java.sql.Connection c) throws java.sql.SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM storage_imports WHERE name = ?")) {
      st.setString(1, MARKER);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Every user of the file, checked; NoSuchFileException when there is none. */
  static List<UserRecord> read(Path file, UnaryOperator<String> canonical) throws NoSuchFileException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new CorruptUsersFileException(file, "it cannot be read (" + e + ")", e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new CorruptUsersFileException(file, "it is not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new CorruptUsersFileException(file, "it cannot be read (" + e + ")", e);
    }
    if (root == null || !root.isObject()) throw new CorruptUsersFileException(file, "it is not a JSON object", null);
    JsonNode version = root.get("version");
    if (version != null && !(version.isIntegralNumber() && version.asInt() == 1)) {
      throw new CorruptUsersFileException(file, "its \"version\" is " + version + ", and only 1 is known", null);
    }
    JsonNode array = root.get("users");
    if (array == null || !array.isArray()) throw new CorruptUsersFileException(file, "it has no \"users\" array", null);
    List<UserRecord> users = new ArrayList<>(array.size());
    Set<String> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode n : array) {
      String where = "user #" + (index++ + 1);
      if (!n.isObject()) throw new CorruptUsersFileException(file, where + " is not an object", null);
      String id = text(file, n, "id", where);
      String username = text(file, n, "username", where);
      String hash = text(file, n, "passwordHash", where);
      if (!BCRYPT.matcher(hash).matches()) {
        throw new CorruptUsersFileException(file, where + " (" + username + ") has a passwordHash that is not a bcrypt hash", null);
      }
      JsonNode created = n.get("createdAt");
      if (created != null && !created.isIntegralNumber()) {
        throw new CorruptUsersFileException(file, where + " (" + username + ") has a createdAt that is not a number", null);
      }
      UserRecord user;
      try {
        String key = canonical.apply(username);
        user = new UserRecord(id, username, key, hash, created == null ? 0 : created.asLong());
      } catch (IllegalArgumentException e) {
        throw new CorruptUsersFileException(file, where + ": " + e.getMessage(), e);
      }
      if (!ids.add(id)) throw new CorruptUsersFileException(file, where + " repeats the id " + id, null);
      if (!names.add(user.canonicalName())) {
        throw new CorruptUsersFileException(file, where + " repeats the name " + username, null);
      }
      users.add(user);
    }
    return users;
  }

  private static String text(Path file, JsonNode user, String field, String where) {
    JsonNode v = user.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new CorruptUsersFileException(file, where + " has no \"" + field + "\"", null);
    }
    return v.asText();
  }
}
