package dev.switchboard.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.Principal;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.ConnectError;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.SocketIoTestClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link SocketIoServer} on an ephemeral port of 127.0.0.1 serving the chat, with a stub
 * handshake middleware in place of the JWT one: it trusts the CONNECT payload's {@code userId},
 * {@code username} and {@code sessionId} and puts them in a {@link Principal}. The chat's clock is
 * a {@link FakeScheduler} that only tests move; the server's own clock is another one, never
 * moved, so no heartbeat or timeout interferes.
 */
final class ChatServerFixture implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final FakeScheduler chatClock = new FakeScheduler();
  final SocketIoServer io;
  final ChatApplication chat;
  private final List<SocketIoTestClient> clients = new ArrayList<>();
  private final AtomicInteger sessions = new AtomicInteger();

  ChatServerFixture() throws IOException {
    this(ChatOptions.DEFAULTS, true);
  }

  ChatServerFixture(ChatOptions options, boolean withPrincipal) throws IOException {
    this(options, withPrincipal, null);
  }

  /** A chat keeping its history in {@code history} (the caller closes it after this fixture). */
  ChatServerFixture(ChatOptions options, boolean withPrincipal, ChatHistory history) throws IOException {
    AtomicInteger ids = new AtomicInteger();
    io = new SocketIoServer(SocketIoOptions.builder().net(NetOptions.builder().host("127.0.0.1").build()).build(),
        new FakeScheduler(), () -> "id" + ids.incrementAndGet() + "xxxxxxxxxxxxxxxx");
    if (withPrincipal) {
      io.use((socket, next) -> {
        JsonNode auth = socket.handshake().auth();
        if (!auth.path("userId").isTextual() || !auth.path("username").isTextual()) {
          next.fail(new ConnectError("unauthorized"));
          return;
        }
        socket.data().put(Principal.DATA_KEY, new Principal(auth.get("userId").textValue(),
            auth.get("username").textValue(), auth.path("sessionId").asText("session")));
        next.proceed();
      });
    }
    chat = new ChatApplication(chatClock, options, history);
    chat.install(io.sockets());
    io.listen(0);
  }

  /** The CONNECT payload the stub middleware turns into a Principal. */
  String auth(String userId, String username) {
    ObjectNode auth = JSON.createObjectNode();
    auth.put("userId", userId);
    auth.put("username", username);
    auth.put("sessionId", "s" + sessions.incrementAndGet());
    return auth.toString();
  }

  /** A client connected as {@code userId}/{@code username}, its {@code online-users} already read. */
  SocketIoTestClient connect(String userId, String username) throws IOException {
    SocketIoTestClient c = connectRaw(auth(userId, username));
    c.awaitEvent("online-users");
    return c;
  }

  /** A client connected with this CONNECT payload; nothing read yet. */
  SocketIoTestClient connectRaw(String authJson) throws IOException {
    SocketIoTestClient c = SocketIoTestClient.connect(io.port(), authJson);
    clients.add(c);
    return c;
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** {@code {ok: false, error}}: the ack of a refusal. */
  static JsonNode refused(String error) {
    return JSON.createObjectNode().put("ok", false).put("error", error);
  }

  /** The {@code error} event of a refusal. */
  static JsonNode errorEvent(String event, String message) {
    return JSON.createObjectNode().put("event", event).put("message", message);
  }

  @Override
  public void close() throws IOException {
    for (SocketIoTestClient c : clients) c.close();
    io.close();
  }
}
