package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.auth.DatabaseUserStore;
import dev.switchboard.auth.UserStore;
import dev.switchboard.auth.PasswordHasher;
import dev.switchboard.storage.Database;
import dev.switchboard.storage.DatabaseUrl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dir.toString());
    all.add("--bcrypt-cost");
    all.add("4");
    return UserCommand.run(all, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The users as the server sees them: the SQLite database in the data directory. */
  private <T> T users(Function<UserStore, T> read) {
    try (Database db = Database.open(DatabaseUrl.sqlite(dir.resolve(ServerConfig.SQLITE_FILE)))) {
      return read.apply(new DatabaseUserStore(db));
    }
  }

  @Test
  void addReadsThePasswordFromStandardInputAndItVerifies() throws Exception {
    assertEquals(0, run("correct horse battery\n", "add", "Alice"));
    assertTrue(out.toString().startsWith("switchboard: added Alice ("), out.toString());
    String hash = users(u -> u.findByName("alice")).orElseThrow().passwordHash();
    try (PasswordHasher h = new PasswordHasher(4, 1, 1)) {
      assertTrue(h.verify("correct horse battery", hash).get(10, TimeUnit.SECONDS));
    }
    assertTrue(!out.toString().contains("correct horse") && !err.toString().contains("correct horse"));
  }

  @Test
  void listAndRemove() {
    run("correct horse battery\n", "add", "alice");
    run("correct horse battery\n", "add", "bob");
    out.reset();
    assertEquals(0, run("", "list"));
    String[] lines = out.toString().split("\n");
    assertEquals(3, lines.length, out.toString());
    assertTrue(lines[0].matches("USERNAME {2}ID +CREATED"), out.toString());
    assertTrue(lines[1].startsWith("alice  ") && lines[2].startsWith("bob    "), out.toString());
    assertEquals(lines[0].indexOf("CREATED"), lines[2].indexOf("20"), "the columns are aligned: " + out);
    assertEquals(0, run("", "remove", "ALICE"));
    assertEquals(1, run("", "remove", "alice"));
    assertTrue(err.toString().contains("switchboard: no such user: alice"), err.toString());
    assertEquals(1, (int) users(UserStore::count));
  }

  @Test
  void refusalsSayWhy() {
    assertEquals(2, run("short\n", "add", "alice"));
    assertTrue(err.toString().contains("password must be at least 8 characters"), err.toString());
    assertEquals(2, run("", "add", "alice"));
    assertTrue(err.toString().contains("no password given on standard input"), err.toString());
    assertEquals(2, run("correct horse battery\n", "add", "no spaces"));
    assertTrue(err.toString().contains("username must be 3-32 characters"), err.toString());
    run("correct horse battery\n", "add", "alice");
    assertEquals(1, run("another password\n", "add", "Alice"));
    assertTrue(err.toString().contains("switchboard: username is already taken"), err.toString());
    assertEquals(2, run("", "add"));
    assertEquals(2, run("", "frobnicate"));
    assertTrue(err.toString().contains("switchboard: unknown user command: frobnicate (expected add, list or remove)"),
        err.toString());
  }

  @Test
  void aPasswordIsNeverTakenFromTheCommandLine() {
    // "user add NAME PASSWORD" is refused: arguments show in ps and in the shell's history.
    assertEquals(2, run("", "add", "alice", "hunter2hunter2"));
    assertTrue(err.toString().contains("reads the password from standard input"), err.toString());
    assertTrue(!err.toString().contains("hunter2"), err.toString());
  }
}
