package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.storage.Database;
import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.testing.FakeScheduler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The authentication layer as the chat server wires it, on a real port: {@code /auth/*} and the
 * handshake middleware on one {@link SocketIoServer}, users and sessions in a SQLite database in
 * {@code dir} (the server's default), with a fake application clock and a cheap bcrypt cost.
 * Socket handlers answer {@code whoami} with the principal's name.
 */
final class AuthTestServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final FakeScheduler clock = new FakeScheduler();
  final PasswordHasher hasher;
  final Authenticator auth;
  final SocketIoServer io;
  final Database db;
  private final ExecutorService storageReads = Executors.newSingleThreadExecutor();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger ids = new AtomicInteger();

  AuthTestServer(Path dir) throws IOException {
    hasher = new PasswordHasher(4, 1, 8);
    AuthOptions options = AuthOptions.DEFAULTS;
    db = Database.open(DatabaseUrl.sqlite(dir.resolve("switchboard.db")));
    DatabaseUserStore users = new DatabaseUserStore(db);
    SessionStore sessions = new SessionStore(clock, options, () -> "s" + ids.incrementAndGet(), db.sessions(), users);
    auth = new Authenticator(users, hasher, new TokenService(JwtSecret.random(), clock, options),
        sessions, options, clock, () -> "u" + ids.incrementAndGet());
    io = new SocketIoServer(SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build());
    JwtAuthMiddleware.install(io.sockets(), auth, new SessionSockets(auth, clock), storageReads);
    io.onConnection(s -> s.on("whoami", (args, ack) -> ack.send(Principal.of(s).username())));
    io.route(AuthHttpHandler::matches, new AuthHttpHandler(auth, Set.of()));
    io.listen(0);
  }

  int port() {
    return io.port();
  }

  /** A new user's token. */
  String register(String name) throws Exception {
    Authenticator.Result r = auth.register("127.0.0.1", name, "correct horse").get(10, TimeUnit.SECONDS);
    assertEquals(LoginOutcome.SUCCESS, r.outcome());
    return r.grant().token().token();
  }

  HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) b.headers(headers);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    io.close();
    storageReads.shutdown();
    hasher.close();
    db.close();
  }
}
