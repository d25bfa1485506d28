package dev.switchboard.chat;

import dev.switchboard.auth.Principal;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat of {@code spec-notes/chat.md} on one namespace: rooms, room and private messages,
 * typing indicators, presence and per-socket rate limits.
 *
 * <pre>{@code
 * ChatApplication chat = new ChatApplication(scheduler);
 * io.use(authMiddleware);          // puts a Principal in every socket's data
 * chat.install(io.sockets());
 * metrics.gauge("chat_online_users", chat::onlineUsers);
 * }</pre>
 *
 * <p>Lifecycle: construct → {@link #install} once, before clients connect → serve. There is
 * nothing to close: the chat's state lives and dies with its sockets (its {@link ChatHistory},
 * when it has one, is closed by whoever made it).
 *
 * <p>Threading: {@link #install} is configuration (one thread, before {@code listen}). Every
 * socket's handlers run on that socket's serial executor; what they share — presence and the
 * counters — is thread-safe. {@link #onlineUsers} and {@link #messagesRelayed} may be called from
 * any thread.
 */
public final class ChatApplication {
  private static final Logger LOG = Logger.getLogger(ChatApplication.class.getName());

  private final Scheduler clock;
  private final ChatOptions options;
  private final ChatHistory history; // null: no history kept
  private final Presence presence;
  private final AtomicLong relayed = new AtomicLong();
  /** Set once by {@link #install}, before any socket connects. */
  private volatile Namespace namespace;

  /** A chat with chat.md's limits, timed by {@code clock}. */
  public ChatApplication(Scheduler clock) {
    this(clock, ChatOptions.DEFAULTS);
  }

  /** A chat with other limits or message ids (tests). */
  public ChatApplication(Scheduler clock, ChatOptions options) {
    this(clock, options, null);
  }

  /**
   * A chat that keeps its history in {@code history} (null: none, the in-memory chat): message ids
   * come from it instead of {@link ChatOptions#messageIds}, every relayed message is handed to it
   * for storing, and {@code get-history} / {@code get-private-history} read it (chat.md §History).
   * The caller closes {@code history} after the server.
   */
  public ChatApplication(Scheduler clock, ChatOptions options, ChatHistory history) {
    if (clock == null || options == null) throw new IllegalArgumentException("clock and options are required");
    this.clock = clock;
    this.options = options;
    this.history = history;
    this.presence = new Presence(new Presence.Listener() {
      @Override
      public void firstConnection(OnlineUser user) {
        // chat.md: "everyone else" — the user's own connections are all in their personal room.
        namespace.except(RoomName.personalRoom(user.userId())).emit(ChatEvents.USER_JOINED, ChatEvents.user(user));
      }

      @Override
      public void lastConnectionGone(OnlineUser user) {
        namespace.emit(ChatEvents.USER_LEFT, ChatEvents.user(user));
      }
    });
  }

  /**
   * Serves the chat on {@code ns}: every socket that connects to it (after its handshake
   * middlewares, one of which must put a {@link Principal} in its data) joins {@code general} and
   * its personal room and gets the chat's event handlers. Call once, before clients connect.
   *
   * <pre>{@code chat.install(io.sockets());}</pre>
   */
  public void install(Namespace ns) {
    if (ns == null) throw new IllegalArgumentException("namespace is required");
    synchronized (this) {
      if (namespace != null) throw new IllegalStateException("already installed on " + namespace.name());
      namespace = ns;
    }
    ns.onConnection(this::onConnection);
  }

  /** Distinct users with at least one live connection. Any thread. */
  public int onlineUsers() {
    return presence.size();
  }

  /** Messages relayed since start: every {@code new-message} and {@code private-message} sent. Any thread. */
  public long messagesRelayed() {
    return relayed.get();
  }

  /** Socket executor. */
  private void onConnection(Socket socket) {
    Principal me;
    try {
      me = Principal.of(socket);
    } catch (IllegalStateException e) {
      // chat.md §Identity: without the middleware's Principal there is no one to chat as, and
      // taking an identity from the client would defeat the point.
      LOG.log(Level.WARNING, e.getMessage() + "; disconnected");
      socket.disconnect(true);
      return;
    }
    new ChatConnection(this, namespace, socket, me).start();
  }

  // ------------------------------------------------------------------ for ChatConnection

  Scheduler clock() {
    return clock;
  }

  ChatOptions options() {
    return options;
  }

  Presence presence() {
    return presence;
  }

  /** The history, or null when none is kept. */
  ChatHistory history() {
    return history;
  }

  String nextMessageId() {
    return options.messageIds().get();
  }

  void countRelayed() {
    relayed.incrementAndGet();
  }
}
