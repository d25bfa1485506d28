package dev.switchboard.chat;

import dev.switchboard.auth.Principal;
import dev.switchboard.socketio.Ack;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.storage.Conversation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat as one socket sees it: its handlers for the client events of chat.md, its rate-limit
 * buckets and its identity.
 *
 * <p>Threading: created by the connection handler and then only used by the socket's handlers;
 * all of them run on the socket's serial executor, so the buckets need no lock. The answers of
 * the history requests are sent from a history thread ({@link ChatHistory#read}): an ack and an
 * emit may come from any thread, and they touch nothing else here. Room membership
 * lives in the adapter (thread-safe) and presence in {@link Presence} (thread-safe).
 */
final class ChatConnection {
  private static final Logger LOG = LoggerFactory.getLogger(ChatConnection.class);
  static final String INTERNAL_ERROR = "Internal server error";
  static final String INVALID_MESSAGE_ID = "Invalid message id";
  static final String INVALID_USER_ID = "Invalid user id";
  static final String NO_HISTORY = "History is not kept on this server";
  /** Longer than any id the server makes; bounds what a request can make the database compare. */
  static final int MAX_USER_ID_LENGTH = 128;

  private final ChatApplication app;
  private final Namespace namespace;
  private final Socket socket;
  private final Principal me;
  private final String personalRoom;
  private final TokenBucket messageBucket;
  private final TokenBucket typingBucket;
  private final TokenBucket historyBucket;

  private interface Handler {
    void handle(Args args, Ack ack) throws ChatRefusal;
  }

  ChatConnection(ChatApplication app, Namespace namespace, Socket socket, Principal me) {
    this.app = app;
    this.namespace = namespace;
    this.socket = socket;
    this.me = me;
    this.personalRoom = RoomName.personalRoom(me.userId());
    // chat.md: chat-message and private-message share one bucket.
    this.messageBucket = new TokenBucket(app.options().messages(), app.clock());
    this.typingBucket = new TokenBucket(app.options().typing(), app.clock());
    // chat.md "Rate limits": the history readers and their queue are shared by every socket.
    this.historyBucket = new TokenBucket(app.options().history(), app.clock());
  }

  /** Socket executor, from the connection handler. */
  void start() {
    on("join", this::join);
    on("leave", this::leave);
    on("chat-message", this::chatMessage);
    on("private-message", this::privateMessage);
    on("typing", this::typing);
    on("get-online-users", this::getOnlineUsers);
    on("get-rooms", this::getRooms);
    on("list-rooms", this::listRooms);
    on("get-history", this::getHistory);
    on("get-private-history", this::getPrivateHistory);
    // Rooms first: once presence announces the user, their personal room must already reach them.
    socket.join(RoomName.GENERAL.adapterRoom(), personalRoom);
    socket.onDisconnect(reason -> app.presence().disconnect(me));
    app.presence().connect(me, users -> socket.emit(ChatEvents.ONLINE_USERS, ChatEvents.users(users)));
  }

  private void on(String event, Handler handler) {
    socket.on(event, (args, ack) -> {
      try {
        handler.handle(args, ack);
      } catch (ChatRefusal r) {
        refuse(event, ack, r.getMessage());
      } catch (RuntimeException e) {
        // A bug of ours must not leave the client's ack waiting for ever.
        LOG.warn("chat handler for '" + event + "' failed", e);
        refuse(event, ack, INTERNAL_ERROR);
      }
    });
  }

  /** chat.md: a refusal is an error ack when one was asked for, and always an {@code error} event. */
  private void refuse(String event, Ack ack, String message) {
    socket.emit(ChatEvents.ERROR, ChatEvents.error(event, message));
    ack.send(ChatEvents.refused(message));
  }

  // ------------------------------------------------------------------ rooms

  private void join(Args args, Ack ack) throws ChatRefusal {
    RoomName room = RoomName.parse(Payload.of(args.get(0)).string("room"));
    Set<String> rooms = socket.rooms();
    // Joining a room one is already in is a success and costs nothing, even at the limit.
    if (!rooms.contains(room.adapterRoom())) {
      if (chatRooms(rooms).size() >= app.options().maxRoomsPerSocket()) {
        throw new ChatRefusal(ChatRefusal.TOO_MANY_ROOMS);
      }
      socket.join(room.adapterRoom());
    }
    ack.send(ChatEvents.ok().put("room", room.name()));
  }

  private void leave(Args args, Ack ack) throws ChatRefusal {
    RoomName room = RoomName.parse(Payload.of(args.get(0)).string("room"));
    requireMember(room);
    socket.leave(room.adapterRoom());
    ack.send(ChatEvents.ok().put("room", room.name()));
  }

  private void getRooms(Args args, Ack ack) {
    List<RoomName> rooms = chatRooms(socket.rooms());
    rooms.sort(null);
    ack.send(ChatEvents.roomList(rooms));
  }

  /** chat.md, {@code list-rooms}: the directory, shared by every socket (see ChatApplication). */
  private void listRooms(Args args, Ack ack) {
    ack.send(app.roomDirectory());
  }

  private static List<RoomName> chatRooms(Set<String> adapterRooms) {
    List<RoomName> out = new ArrayList<>(adapterRooms.size());
    for (String r : adapterRooms) {
      RoomName name = RoomName.fromAdapterRoom(r);
      if (name != null) out.add(name);
    }
    return out;
  }

  /**
   * chat.md: {@code chat-message} and {@code typing} without a {@code room} field mean
   * {@code general}, as the tutorial's client sends them; a room that is present is checked as
   * ever (null or another type is refused, not taken for "absent").
   */
  private static RoomName roomOrGeneral(Payload p) throws ChatRefusal {
    String raw = p.stringOr("room", null);
    return raw == null ? RoomName.GENERAL : RoomName.parse(raw);
  }

  private void requireMember(RoomName room) throws ChatRefusal {
    if (!socket.rooms().contains(room.adapterRoom())) throw new ChatRefusal(ChatRefusal.NOT_JOINED);
  }

  // ------------------------------------------------------------------ messages

  private void chatMessage(Args args, Ack ack) throws ChatRefusal {
    Payload p = Payload.of(args.get(0));
    String text = MessageText.parse(p.string("message"), app.options().maxMessageLength());
    RoomName room = roomOrGeneral(p);
    requireMember(room);
    // Last check: a refused message costs no token.
    if (!messageBucket.tryTake()) throw new ChatRefusal(ChatRefusal.RATE_LIMITED);
    ChatHistory history = app.history();
    long storedId = history != null ? history.nextId() : 0;
    String id = history != null ? Long.toString(storedId) : app.nextMessageId();
    long now = app.clock().currentTimeMillis();
    // chat.md: the sender is included, so the namespace's operator, not socket.to() (which excludes it).
    namespace.to(room.adapterRoom()).emit(ChatEvents.NEW_MESSAGE, ChatEvents.newMessage(id, me, text, room, now));
    // Delivered first; storing is queued, never waited for (storage.md §Writer). Before the ack,
    // so that a get-history sent after it finds the message (read-your-writes).
    if (history != null) history.recordRoom(storedId, room, me.userId(), me.username(), text, now);
    app.countRelayed();
    ack.send(ChatEvents.ok().put("id", id));
  }

  private void privateMessage(Args args, Ack ack) throws ChatRefusal {
    Payload p = Payload.of(args.get(0));
    String targetUserId = p.string("targetUserId");
    String text = MessageText.parse(p.string("message"), app.options().maxMessageLength());
    OnlineUser target = app.presence().find(targetUserId);
    if (target == null) throw new ChatRefusal(ChatRefusal.NOT_ONLINE);
    if (!messageBucket.tryTake()) throw new ChatRefusal(ChatRefusal.RATE_LIMITED);
    ChatHistory history = app.history();
    long storedId = history != null ? history.nextId() : 0;
    String id = history != null ? Long.toString(storedId) : app.nextMessageId();
    long now = app.clock().currentTimeMillis();
    // One broadcast to both personal rooms: the adapter takes the union, so a socket in both
    // (a message to oneself) gets it once.
    namespace.to(personalRoom, RoomName.personalRoom(target.userId()))
        .emit(ChatEvents.PRIVATE_MESSAGE, ChatEvents.privateMessage(id, me, target, text, now));
    if (history != null) history.recordPrivate(storedId, me.userId(), me.username(), target, text, now);
    app.countRelayed();
    ack.send(ChatEvents.ok().put("id", id));
  }

  private void typing(Args args, Ack ack) throws ChatRefusal {
    Payload p = Payload.of(args.get(0));
    RoomName room = roomOrGeneral(p);
    boolean isTyping = p.booleanOr("isTyping", true);
    requireMember(room);
    // chat.md: over the limit typing is dropped silently (it is cosmetic), so no error either.
    if (typingBucket.tryTake()) {
      // "The rest of the room": none of the sender's connections, not only this one.
      namespace.to(room.adapterRoom()).except(personalRoom)
          .emit(ChatEvents.USER_TYPING, ChatEvents.userTyping(me, room, isTyping));
    }
    ack.send(ChatEvents.ok());
  }

  // ------------------------------------------------------------------ history

  private void getHistory(Args args, Ack ack) throws ChatRefusal {
    Payload p = Payload.of(args.get(0));
    RoomName room = RoomName.parse(p.string("room"));
    long before = beforeId(p);
    int limit = p.intOr("limit", ChatHistory.DEFAULT_PAGE, 1, ChatHistory.MAX_PAGE);
    // Membership now, on the socket's executor; the read itself goes to a history thread.
    requireMember(room);
    ChatHistory history = requireHistory();
    takeHistoryToken();
    history.read(Conversation.room(room.name()), before, limit,
        (page, hasMore) -> ack.send(ChatEvents.roomHistory(room, page, hasMore)),
        refusal -> refuse("get-history", ack, refusal));
  }

  private void getPrivateHistory(Args args, Ack ack) throws ChatRefusal {
    Payload p = Payload.of(args.get(0));
    String userId = p.string("userId");
    long before = beforeId(p);
    int limit = p.intOr("limit", ChatHistory.DEFAULT_PAGE, 1, ChatHistory.MAX_PAGE);
    // The other side need not be online, nor exist any more: the conversation is the caller's own.
    Conversation conversation;
    try {
      if (userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH) throw new IllegalArgumentException();
      conversation = Conversation.between(me.userId(), userId);
    } catch (IllegalArgumentException unstorable) {
      throw new ChatRefusal(INVALID_USER_ID);
    }
    ChatHistory history = requireHistory();
    takeHistoryToken();
    history.read(conversation, before, limit,
        (page, hasMore) -> ack.send(ChatEvents.privateHistory(me, userId, page, hasMore)),
        refusal -> refuse("get-private-history", ack, refusal));
  }

  /**
   * The optional {@code before}: a message id as the chat sends them (a decimal string), or
   * {@link Long#MAX_VALUE} for the newest page.
   */
  private static long beforeId(Payload p) throws ChatRefusal {
    String before = p.optionalString("before");
    if (before == null) return Long.MAX_VALUE;
    if (before.isEmpty() || before.length() > 19) throw new ChatRefusal(INVALID_MESSAGE_ID);
    for (int i = 0; i < before.length(); i++) {
      char c = before.charAt(i);
      if (c < '0' || c > '9') throw new ChatRefusal(INVALID_MESSAGE_ID);
    }
    try {
      return Long.parseLong(before);
    } catch (NumberFormatException tooLarge) {
      throw new ChatRefusal(INVALID_MESSAGE_ID);
    }
  }

  /** A valid history request that would reach the readers costs one token; a refused one none. */
  private void takeHistoryToken() throws ChatRefusal {
    if (!historyBucket.tryTake()) throw new ChatRefusal(ChatRefusal.RATE_LIMITED);
  }

  private ChatHistory requireHistory() throws ChatRefusal {
    ChatHistory history = app.history();
    if (history == null) throw new ChatRefusal(NO_HISTORY);
    return history;
  }

  // ------------------------------------------------------------------ presence

  private void getOnlineUsers(Args args, Ack ack) {
    ack.send(ChatEvents.userList(app.presence().users()));
  }
}
