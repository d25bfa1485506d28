package dev.switchboard.cli;

import dev.switchboard.auth.DatabaseUserStore;
import dev.switchboard.auth.PasswordHasher;
import dev.switchboard.auth.Passwords;
import dev.switchboard.auth.User;
import dev.switchboard.auth.UserStore;
import dev.switchboard.auth.Usernames;
import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.storage.Database;
import dev.switchboard.storage.DatabaseOpenException;
import dev.switchboard.storage.StorageException;
import dev.switchboard.storage.UsersFileImport;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code user add NAME | user list | user remove NAME} on the database the server uses, chosen
 * by the same rules ({@link ServerConfig#databaseUrl}): {@code --database-url} /
 * {@code DATABASE_URL} (PostgreSQL), else SQLite in the data directory ({@code --data-dir} /
 * {@code DATA_DIR}, default {@code ./data}). An old {@code users.json} there is imported first,
 * as the server would. The password of {@code add} is read from the terminal without echo, or as
 * the first line of standard input when piped — never from an argument, which would show in
 * {@code ps} and the shell's history. The running server sees added users at once; {@code remove}
 * deletes the user and its sessions, so its tokens are refused by any node that has not cached
 * the session, and a running server ends the cached ones within 10 seconds (its sweep) — at once
 * with {@code --redis-url} / {@code REDIS_URL} (and {@code --redis-key}), which tell the nodes of
 * the cluster through Redis.
 *
 * <p>Threading: the CLI's main thread; every call blocks on JDBC.
 */
final class UserCommand {
  private UserCommand() {}

  static String usage() {
    return Main.say("usage: user add NAME | user list | user remove NAME [--data-dir D] [--database-url U] [--bcrypt-cost N] [--redis-url U --redis-key K]");
  }

  static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      err.println(usage());
      return Help.USAGE;
    }
    String verb = args.get(0);
    boolean takesName = verb.equals("add") || verb.equals("remove");
    if (takesName && (args.size() < 2 || args.get(1).startsWith("--"))) {
      err.println(usage());
      return Help.USAGE;
    }
    if (verb.equals("add") && args.size() > 2 && !args.get(2).startsWith("--")) {
      // Not even echoed in the error: it may well be the password.
      err.println(Main.say("user add reads the password from standard input, never from an argument"));
      return Help.USAGE;
    }
    Options opts;
    try {
      opts = new Options(args.subList(takesName ? 2 : 1, args.size()), System.getenv());
    } catch (IllegalArgumentException e) {
      err.println(Main.say(e.getMessage()));
      return Help.USAGE;
    }
    Path dataDir = Path.of(opts.get("data-dir", "DATA_DIR", "./data"));
    ServerConfig config;
    try {
      config = ServerConfig.forTests(dataDir).withDatabase(ServerConfig.databaseUrl(opts));
    } catch (IllegalArgumentException e) {
      err.println(Main.say(e.getMessage()));
      return Help.USAGE;
    }
    Database db;
    try {
      db = ChatServer.openDatabase(config, System.currentTimeMillis(), err);
    } catch (DatabaseOpenException | UsersFileImport.CorruptUsersFileException e) {
      err.println(Main.say(e.getMessage()));
      return Help.USAGE;
    }
    try (db) {
      return run(verb, args, opts, new DatabaseUserStore(db), db.url().masked(), stdin, out, err);
    } catch (StorageException e) { // the database lost meanwhile: one sentence, masked
      err.println(Main.say(e.getMessage()));
      return Help.FAILED;
    }
  }

  private static int run(String verb, List<String> args, Options opts, UserStore store, String where,
      InputStream stdin, PrintStream out, PrintStream err) {
    switch (verb) {
      case "add" -> {
        return add(store, args.get(1), opts, stdin, out, err);
      }
      case "list" -> {
        List<User> users = store.list();
        if (users.isEmpty()) {
          err.println(Main.say("no users in " + where));
          return 0;
        }
        out.print(table(users));
        return 0;
      }
      case "remove" -> {
        String removedId = store.findByName(Usernames.canonical(args.get(1))).map(User::id).orElse(null);
        if (store.remove(Usernames.canonical(args.get(1)))) {
          out.println(Main.say("removed " + args.get(1)));
          if (removedId != null) RedisCluster.announceUserRemoved(opts, removedId, err);
          return 0;
        }
        err.println(Main.say("no such user: " + args.get(1)));
        return Help.FAILED;
      }
      default -> {
        err.println(Main.say("unknown user command: " + verb + " (expected add, list or remove)"));
        return Help.USAGE;
      }
    }
  }

  private static int add(UserStore store, String name, Options opts, InputStream stdin, PrintStream out, PrintStream err) {
    String username;
    String password;
    int cost;
    try {
      username = Usernames.validForRegistration(name);
      cost = ServerConfig.bcryptCost(opts);
      password = readPassword(stdin, err);
      if (password == null) throw new IllegalArgumentException("no password given on standard input");
      Passwords.checkNew(password);
    } catch (IllegalArgumentException | IOException e) {
      err.println(Main.say(e.getMessage()));
      return Help.USAGE;
    }
    try (PasswordHasher hasher = new PasswordHasher(cost, 1, 1)) {
      User user = new User(SessionIdGenerator.secureRandom().next(), username, hasher.hashNow(password),
          System.currentTimeMillis());
      store.add(user);
      out.println(Main.say("added " + user.username() + " (" + user.id() + ")"));
      return 0;
    } catch (IllegalStateException e) {
      err.println(Main.say(e.getMessage()));
      return Help.FAILED;
    }
  }

  /**
   * {@code user list}'s answer: a header, then one line per user, the columns aligned and
   * separated by two spaces (a name has no spaces: {@link Usernames}).
   */
  static String table(List<User> users) {
    String[] header = {"USERNAME", "ID", "CREATED"};
    List<String[]> rows = new java.util.ArrayList<>();
    rows.add(header);
    for (User u : users) {
      rows.add(new String[] {u.username(), u.id(), Instant.ofEpochMilli(u.createdAtMillis()).toString()});
    }
    int[] width = new int[header.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        b.append(r[i]);
        if (i < r.length - 1) b.append(" ".repeat(width[i] - r[i].length() + 2));
      }
      b.append(System.lineSeparator());
    }
    return b.toString();
  }

  /** The terminal without echo (asked twice), else the first line of standard input. */
  private static String readPassword(InputStream stdin, PrintStream err) throws IOException {
    Console console = stdin == System.in ? System.console() : null;
    if (console != null) {
      char[] first = console.readPassword("Password: ");
      char[] again = console.readPassword("Password again: ");
      if (first == null || again == null) return null;
      if (!java.util.Arrays.equals(first, again)) throw new IllegalArgumentException("the passwords differ");
      return new String(first);
    }
    BufferedReader r = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    return r.readLine(); // without its line ending; spaces are part of the password
  }
}
