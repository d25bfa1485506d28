package dev.switchboard.conformance;

import dev.switchboard.cli.ChatServer;
import dev.switchboard.cli.ServerConfig;
import dev.switchboard.testing.FakeScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The chat server as {@code java -jar switchboard.jar} runs it, on a free port with a fresh data
 * directory, bcrypt cost 4 and a fake application clock that scenarios move with
 * {@code CONTROL advance-clock <ms>}. {@code CONTROL remove-user <name>} removes a user through a
 * database connection of its own, as {@code user remove} does from another process. The database
 * is SQLite in the data directory, or the PostgreSQL one given.
 */
final class ChatApp implements TestApps.Running {
  private final FakeScheduler clock = new FakeScheduler();
  private final Path dataDir;
  private final ChatServer server;
  private final dev.switchboard.storage.DatabaseUrl database;

  ChatApp() throws Exception {
    this(null);
  }

  /** On {@code database} (null: SQLite in a fresh data directory). */
  ChatApp(dev.switchboard.storage.DatabaseUrl database) throws Exception {
    dataDir = Files.createTempDirectory("switchboard-chat");
    ServerConfig config = ServerConfig.forTests(dataDir);
    this.database = database == null ? config.databaseUrl() : database;
    server = ChatServer.start(database == null ? config : config.withDatabase(database), clock);
  }

  @Override
  public String url() {
    return server.url();
  }

  @Override
  public void restart() {
    throw new AssertionError("the chat scenarios do not restart the server");
  }

  @Override
  public void control(String command) throws Exception {
    if (command.startsWith("advance-clock ")) {
      clock.advanceBy(Duration.ofMillis(Long.parseLong(command.substring("advance-clock ".length()).trim())));
      return;
    }
    if (command.startsWith("remove-user ")) {
      String name = command.substring("remove-user ".length()).trim();
      // As `user remove` in another process: its own connection to the server's database.
      try (dev.switchboard.storage.Database db = dev.switchboard.storage.Database.open(database)) {
        if (!new dev.switchboard.auth.DatabaseUserStore(db).remove(name)) {
          throw new AssertionError("no user " + name + " to remove");
        }
      }
      return;
    }
    TestApps.Running.super.control(command);
  }

  @Override
  public void close() {
    server.close();
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
