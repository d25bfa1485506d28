package dev.switchboard.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.Principal;
import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.adapter.Adapter;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * socket's handlers run on that socket's serial executor; what they share — presence, the
 * counters and the room directory (an immutable answer behind a volatile field) — is
 * thread-safe. {@link #onlineUsers} and {@link #messagesRelayed} may be called from any thread.
 */
public final class ChatApplication {
  private static final Logger LOG = LoggerFactory.getLogger(ChatApplication.class);

  private final Scheduler clock;
  private final ChatOptions options;
  private final ChatHistory history; // null: no history kept
  private final Presence presence;
  private final AtomicLong relayed = new AtomicLong();
  /** Set once by {@link #install}, before any socket connects. */
  private volatile Namespace namespace;
  /** The last {@code list-rooms} answer and when it was made; null before the first. */
  private volatile Directory directory;

  /** How long one {@code list-rooms} answer serves every socket that asks (chat.md). */
  static final long DIRECTORY_MAX_AGE_MILLIS = 1000;

  private record Directory(long madeAtMillis, ObjectNode ack) {}

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
        // This node's sockets only: in a cluster every node hears of the change and tells its own.
        namespace.except(RoomName.personalRoom(user.userId())).local().emit(ChatEvents.USER_JOINED, ChatEvents.user(user));
      }

      @Override
      public void lastConnectionGone(OnlineUser user) {
        namespace.local().emit(ChatEvents.USER_LEFT, ChatEvents.user(user));
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

  /**
   * Makes presence cluster-wide: this node's users are told to {@code directory}, and the other
   * nodes' users it reports count as online (chat.md, "Presence across nodes"). Call once, before
   * clients connect; without it ({@link PresenceDirectory#LOCAL}) presence is this node's.
   */
  public void sharePresence(PresenceDirectory directory) {
    presence.shareThrough(directory);
    directory.start(presence);
  }

  /** Distinct users with at least one live connection (in a cluster: on any node). Any thread. */
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
      LOG.warn(e.getMessage() + "; disconnected");
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

  /**
   * chat.md, {@code list-rooms}: every chat room with a member on this node and its distinct users
   * here, the biggest first, at most {@link ChatEvents#MAX_LISTED_ROOMS}. Made at most once per
   * {@link #DIRECTORY_MAX_AGE_MILLIS} and shared (the ack is never changed once made): each page
   * asks every 30 s, and one answer copies every room's membership under the adapter's lock, so
   * a thousand tabs must not mean a thousand copies. Reads the adapter's local membership only: on
   * a cluster a room whose members are all on other nodes is missing, and counts are this node's.
   * Any socket executor; two racing callers may both make one, which is harmless.
   */
  ObjectNode roomDirectory() {
    long now = clock.currentTimeMillis();
    Directory d = directory;
    if (d != null && now >= d.madeAtMillis() && now - d.madeAtMillis() < DIRECTORY_MAX_AGE_MILLIS) return d.ack();
    Namespace ns = namespace;
    Adapter adapter = ns.adapter();
    Map<String, Socket> local = ns.sockets();
    List<ChatEvents.RoomCount> out = new ArrayList<>();
    Set<String> users = new HashSet<>();
    for (String r : adapter.rooms()) {
      RoomName name = RoomName.fromAdapterRoom(r);
      if (name == null) continue;
      users.clear();
      for (String socketId : adapter.sockets(new BroadcastOptions(Set.of(r), Set.of(), BroadcastFlags.NONE))) {
        Socket s = local.get(socketId);
        if (s != null) users.add(Principal.of(s).userId());
      }
      if (!users.isEmpty()) out.add(new ChatEvents.RoomCount(name, users.size()));
    }
    out.sort(ChatEvents.RoomCount.BIGGEST_FIRST);
    ObjectNode ack = ChatEvents.roomDirectory(out.subList(0, Math.min(out.size(), ChatEvents.MAX_LISTED_ROOMS)));
    directory = new Directory(now, ack);
    return ack;
  }
}
