package dev.switchboard.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users in one JSON file, {@code users.json} in the data directory:
 * <pre>{"version":1,"users":[{"id":"…","username":"Alice","passwordHash":"$2a$12$…","createdAt":1764…}]}</pre>
 *
 * <p>Every change is a read-modify-write under an exclusive lock on {@code users.json.lock}, so
 * the running server (sign-up) and {@code switchboard user add} in another process never lose
 * each other's writes. The new content goes to a temporary file in the same directory, is forced
 * to disk, and replaces the old one with an atomic rename: a crash leaves the old file or the new
 * one, never half of one. Files are created owner-only (0600) where the file system has POSIX
 * permissions: they hold password hashes.
 *
 * <p>Reads serve an in-memory copy, reloaded when the file's modification time or size changed
 * (another process wrote it), so {@code user add} takes effect without a restart.
 *
 * <p>Threading: thread-safe; all methods are synchronized and may block on file I/O.
 */
public final class FileUserStore implements UserStore {
  public static final String FILE_NAME = "users.json";
  /** Bounds the file and the memory it takes: sign-up stops at this many users. */
  public static final int MAX_USERS = 100_000;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Path file;
  private final Path lockFile;
  /** Canonical name → user, in sign-up order. Guarded by this; replaced only by {@link #use}. */
  private Map<String, User> users = new LinkedHashMap<>();
  /** The same users by id (the handshake looks every token's user up). Guarded by this. */
  private Map<String, User> byId = Map.of();
  private FileTime loadedModified;
  private long loadedSize = -1;

  public FileUserStore(Path dataDir) {
    try {
      DataDirectory.create(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
    }
    this.file = dataDir.resolve(FILE_NAME);
    this.lockFile = dataDir.resolve(FILE_NAME + ".lock");
    synchronized (this) {
      reloadIfChanged();
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized Optional<User> findByName(String canonicalName) {
    reloadIfChanged();
    return Optional.ofNullable(users.get(canonicalName));
  }

  @Override
  public synchronized Optional<User> findById(String id) {
    reloadIfChanged();
    return Optional.ofNullable(byId.get(id));
  }

  /** The ids of every user, as the file has them now. */
  public synchronized java.util.Set<String> ids() {
    reloadIfChanged();
    return java.util.Set.copyOf(byId.keySet());
  }

  @Override
  public synchronized void add(User user) {
    update(map -> {
      String key = user.canonicalName();
      if (map.containsKey(key)) throw new IllegalStateException(NAME_TAKEN);
      if (map.size() >= MAX_USERS) throw new IllegalStateException("The user limit has been reached");
      map.put(key, user);
      return true;
    });
  }

  @Override
  public synchronized boolean remove(String canonicalName) {
    return update(map -> map.remove(canonicalName) != null);
  }

  @Override
  public synchronized List<User> list() {
    reloadIfChanged();
    return List.copyOf(users.values());
  }

  @Override
  public synchronized int count() {
    reloadIfChanged();
    return users.size();
  }

  private interface Change {
    /** Changes the map; returns whether anything changed (and must be written). */
    boolean apply(Map<String, User> map);
  }

  /** File locks are per process: threads of one JVM also take a monitor per file. */
  private static final java.util.concurrent.ConcurrentHashMap<Path, Object> MONITORS = new java.util.concurrent.ConcurrentHashMap<>();

  private boolean update(Change change) {
    synchronized (MONITORS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new Object())) {
      return updateLocked(change);
    }
  }

  @SuppressWarnings("try") // the FileLock is held for the block's length, never read
  private boolean updateLocked(Change change) {
    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockChannel.lock()) {
      // Under the lock, the file on disk is the truth: start from it, not from our copy.
      Map<String, User> current = Files.exists(file) ? read(file) : new LinkedHashMap<>();
      if (!change.apply(current)) return false;
      write(current);
      use(current);
      remember();
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update " + file, e);
    }
  }

  private void reloadIfChanged() {
    try {
      java.nio.file.attribute.BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      } catch (java.nio.file.NoSuchFileException e) {
        use(new LinkedHashMap<>());
        loadedModified = null;
        loadedSize = -1;
        return;
      }
      if (attrs.lastModifiedTime().equals(loadedModified) && attrs.size() == loadedSize) return;
      use(read(file));
      loadedModified = attrs.lastModifiedTime();
      loadedSize = attrs.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Makes {@code map} the current users, and indexes them by id (the first of an id wins). */
  private void use(Map<String, User> map) {
    Map<String, User> ids = new java.util.HashMap<>();
    for (User u : map.values()) ids.putIfAbsent(u.id(), u);
    users = map;
    byId = ids;
  }

  private void remember() throws IOException {
    java.nio.file.attribute.BasicFileAttributes attrs =
        Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    loadedModified = attrs.lastModifiedTime();
    loadedSize = attrs.size();
  }

  static Map<String, User> read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.path("users").isArray()) throw new IOException(file + " has no \"users\" array");
    Map<String, User> out = new LinkedHashMap<>();
    for (JsonNode n : root.get("users")) {
      String id = n.path("id").asText(null);
      String name = n.path("username").asText(null);
      String hash = n.path("passwordHash").asText(null);
      if (id == null || name == null || hash == null) throw new IOException(file + " has a user without id, username or passwordHash");
      User u = new User(id, name, hash, n.path("createdAt").asLong(0));
      out.put(u.canonicalName(), u);
    }
    return out;
  }

  private void write(Map<String, User> map) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    ArrayNode arr = root.putArray("users");
    for (User u : map.values()) {
      arr.addObject().put("id", u.id()).put("username", u.username())
          .put("passwordHash", u.passwordHash()).put("createdAt", u.createdAtMillis());
    }
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    Path tmp = DataDirectory.createPrivateTempFile(file.getParent(), FILE_NAME);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) ch.write(buf);
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public String toString() {
    return "FileUserStore{" + file + "}";
  }
}
