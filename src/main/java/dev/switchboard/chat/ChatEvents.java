package dev.switchboard.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.Principal;
import dev.switchboard.storage.StoredMessage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;

/**
 * The fixed schemas of everything the chat sends (chat.md §Server → client and the acks of
 * §Client → server). Nothing a client sent is forwarded as a tree: each field is copied as a
 * string or boolean into a fresh object (auth-pitfalls §7, "fixed schemas"). Pure; any thread.
 */
final class ChatEvents {
  static final String ONLINE_USERS = "online-users";
  static final String USER_JOINED = "user-joined";
  static final String USER_LEFT = "user-left";
  static final String NEW_MESSAGE = "new-message";
  static final String PRIVATE_MESSAGE = "private-message";
  static final String USER_TYPING = "user-typing";
  static final String ERROR = "error";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Always three fraction digits, as JavaScript's toISOString (ISO_INSTANT drops ".000"). */
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ChatEvents() {}

  /** chat.md: "ISO-8601 UTC strings ({@code 2026-12-01T09:30:00.123Z})". */
  static String timestamp(long epochMillis) {
    return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }

  static ObjectNode user(OnlineUser u) {
    ObjectNode o = NODES.objectNode();
    o.put("userId", u.userId());
    o.put("username", u.username());
    return o;
  }

  static ArrayNode users(Collection<OnlineUser> users) {
    ArrayNode a = NODES.arrayNode(users.size());
    for (OnlineUser u : users) a.add(user(u));
    return a;
  }

  static ObjectNode newMessage(String id, Principal from, String message, RoomName room, long epochMillis) {
    return newMessage(id, from.userId(), from.username(), message, room.name(), epochMillis);
  }

  static ObjectNode newMessage(String id, String userId, String username, String message, String room,
      long epochMillis) {
    ObjectNode o = NODES.objectNode();
    o.put("id", id);
    o.put("userId", userId);
    o.put("username", username);
    o.put("message", message);
    o.put("room", room);
    o.put("timestamp", timestamp(epochMillis));
    return o;
  }

  static ObjectNode privateMessage(String id, Principal from, OnlineUser to, String message, long epochMillis) {
    return privateMessage(id, from.userId(), from.username(), to.userId(), to.username(), message, epochMillis);
  }

  static ObjectNode privateMessage(String id, String fromUserId, String fromUsername, String toUserId,
      String toUsername, String message, long epochMillis) {
    ObjectNode o = NODES.objectNode();
    o.put("id", id);
    o.put("fromUserId", fromUserId);
    o.put("fromUsername", fromUsername);
    o.put("toUserId", toUserId);
    o.put("toUsername", toUsername);
    // The tutorial's shape of the sender, next to ours (chat.md: a superset of both).
    o.putObject("from").put("userId", fromUserId).put("username", fromUsername);
    o.put("message", message);
    o.put("timestamp", timestamp(epochMillis));
    return o;
  }

  /**
   * The ack of {@code get-history}: {@code {ok, room, messages, hasMore}}, each message exactly as
   * {@code new-message} carried it, oldest first.
   */
  static ObjectNode roomHistory(RoomName room, List<StoredMessage> page, boolean hasMore) {
    ObjectNode o = ok();
    o.put("room", room.name());
    ArrayNode a = o.putArray("messages");
    for (StoredMessage m : page) {
      a.add(newMessage(Long.toString(m.id()), m.senderId(), m.senderName(), m.text(), room.name(), m.sentAtMillis()));
    }
    o.put("hasMore", hasMore);
    return o;
  }

  /**
   * The ack of {@code get-private-history}: {@code {ok, userId, messages, hasMore}}, each message
   * exactly as {@code private-message} carried it, oldest first. {@code me} is the caller, whose
   * name stands in for a recipient name a schema-v1 row does not have; the other side's id does
   * otherwise.
   */
  static ObjectNode privateHistory(Principal me, String userId, List<StoredMessage> page, boolean hasMore) {
    ObjectNode o = ok();
    o.put("userId", userId);
    ArrayNode a = o.putArray("messages");
    for (StoredMessage m : page) {
      String to = m.recipientId();
      String toName = m.recipientName() != null ? m.recipientName() : to.equals(me.userId()) ? me.username() : to;
      a.add(privateMessage(Long.toString(m.id()), m.senderId(), m.senderName(), to, toName, m.text(),
          m.sentAtMillis()));
    }
    o.put("hasMore", hasMore);
    return o;
  }

  static ObjectNode userTyping(Principal who, RoomName room, boolean isTyping) {
    ObjectNode o = NODES.objectNode();
    o.put("userId", who.userId());
    o.put("username", who.username());
    o.put("room", room.name());
    o.put("isTyping", isTyping);
    return o;
  }

  /** The {@code error} event: which client event was refused, and why. */
  static ObjectNode error(String event, String message) {
    ObjectNode o = NODES.objectNode();
    o.put("event", event);
    o.put("message", message);
    return o;
  }

  /** {@code {ok: true}}; callers add the event's own fields. */
  static ObjectNode ok() {
    ObjectNode o = NODES.objectNode();
    o.put("ok", true);
    return o;
  }

  static ObjectNode refused(String message) {
    ObjectNode o = NODES.objectNode();
    o.put("ok", false);
    o.put("error", message);
    return o;
  }

  static ObjectNode roomList(Collection<RoomName> rooms) {
    ObjectNode o = ok();
    ArrayNode a = o.putArray("rooms");
    for (RoomName r : rooms) a.add(r.name());
    return o;
  }

  /** chat.md, {@code list-rooms}: the longest directory one ack carries. */
  static final int MAX_LISTED_ROOMS = 200;

  /** A room of the directory and how many distinct users are in it (on this node). */
  record RoomCount(RoomName room, int members) {
    /** The most members first, then by name. */
    static final java.util.Comparator<RoomCount> BIGGEST_FIRST =
        java.util.Comparator.comparingInt(RoomCount::members).reversed().thenComparing(RoomCount::room);
  }

  /** {@code {ok: true, rooms: [{name, members}]}} in the given order. */
  static ObjectNode roomDirectory(Collection<RoomCount> rooms) {
    ObjectNode o = ok();
    ArrayNode a = o.putArray("rooms");
    for (RoomCount r : rooms) a.addObject().put("name", r.room().name()).put("members", r.members());
    return o;
  }

  static ObjectNode userList(Collection<OnlineUser> users) {
    ObjectNode o = ok();
    o.set("users", users(users));
    return o;
  }
}
