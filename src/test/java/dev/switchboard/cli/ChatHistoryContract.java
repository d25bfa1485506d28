package dev.switchboard.cli;

import static dev.switchboard.cli.StorageWiringTest.JSON;
import static dev.switchboard.cli.StorageWiringTest.auth;
import static dev.switchboard.cli.StorageWiringTest.credentials;
import static dev.switchboard.cli.StorageWiringTest.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.storage.Retention;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.LogLines;
import dev.switchboard.testing.SocketIoTestClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat history through the whole server (issue #11; chat.md §History): {@code get-history} and
 * {@code get-private-history} paging, members only, both sides of a private conversation, ids
 * across a restart, hostile text, the retention job — run on SQLite ({@link SqliteChatHistoryTest})
 * and PostgreSQL ({@link PostgresChatHistoryTest}).
 */
abstract class ChatHistoryContract {
  @TempDir Path dir;
  final FakeScheduler clock = new FakeScheduler();
  private final List<AutoCloseable> open = new ArrayList<>();

  /** The configuration of a server on a fresh database; called once per test, every start of it the same. */
  abstract ServerConfig config(Path dataDir) throws Exception;

  private ServerConfig config;
  /** Sign-ups and the generated key are logged at INFO: kept off the build's output. */
  private final LogLines authLog = LogLines.of("dev.switchboard.auth");

  ServerConfig config() throws Exception {
    if (config == null) config = config(dir);
    return config;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    authLog.close();
  }

  ChatServer start(ServerConfig c) throws Exception {
    ChatServer s = ChatServer.start(c, clock);
    open.add(s);
    return s;
  }

  /** A signed-up user, connected. */
  record User(String id, String name, SocketIoTestClient socket) {}

  User user(ChatServer server, String name) throws Exception {
    HttpResponse<String> r = post(server, "/auth/register", credentials(name));
    assertEquals(201, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    return connect(server, body.path("user").path("id").asText(), name, body.path("token").asText());
  }

  User connect(ChatServer server, String id, String name, String token) throws Exception {
    SocketIoTestClient c = SocketIoTestClient.connect(server.port(), auth(token));
    open.add(c);
    c.awaitEvent("online-users");
    return new User(id, name, c);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  /** Sends a room message and returns the id its ack gave. */
  static String say(User u, String room, String text) throws Exception {
    JsonNode ack = u.socket().emitWithAck("chat-message", map("room", room, "message", text));
    assertTrue(ack.path("ok").asBoolean(), ack.toString());
    return ack.path("id").asText();
  }

  static JsonNode history(User u, Object... payload) throws Exception {
    return u.socket().emitWithAck("get-history", map(payload));
  }

  static List<String> texts(JsonNode page) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : page.path("messages")) out.add(m.path("message").asText());
    return out;
  }

  static JsonNode refused(String error) {
    return JSON.createObjectNode().put("ok", false).put("error", error);
  }

  @Test
  void aRoomsHistoryPagesBackwardsOldestFirstWithHasMore() throws Exception {
    ChatServer server = start(config());
    User alice = user(server, "alice");
    User bob = user(server, "bob");
    alice.socket().emitWithAck("join", map("room", "lobby"));
    bob.socket().emitWithAck("join", map("room", "lobby"));
    List<String> ids = new ArrayList<>();
    List<JsonNode> delivered = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      clock.advanceBy(Duration.ofMillis(5));
      ids.add(say(i % 2 == 1 ? alice : bob, "lobby", "m" + i));
      delivered.add(bob.socket().awaitEvent("new-message"));
    }
    assertEquals(7, new HashSet<>(ids).size());

    // Read-your-writes: asked right after the last ack, the page already has it.
    JsonNode last3 = history(alice, "room", "Lobby", "limit", 3);
    ObjectNode expected = JSON.createObjectNode().put("ok", true).put("room", "lobby");
    ArrayNode messages = expected.putArray("messages");
    delivered.subList(4, 7).forEach(messages::add);
    expected.put("hasMore", true);
    assertEquals(expected, last3, "exactly what new-message carried, oldest first");

    JsonNode middle = history(alice, "room", "lobby", "before", ids.get(4), "limit", 3);
    assertEquals(List.of("m2", "m3", "m4"), texts(middle));
    assertTrue(middle.path("hasMore").asBoolean());
    JsonNode exact = history(alice, "room", "lobby", "before", ids.get(3), "limit", 3);
    assertEquals(List.of("m1", "m2", "m3"), texts(exact));
    assertFalse(exact.path("hasMore").asBoolean(), "a page that ends exactly at the first message");
    JsonNode first = history(alice, "room", "lobby", "before", ids.get(1), "limit", 3);
    assertEquals(List.of("m1"), texts(first));
    assertFalse(first.path("hasMore").asBoolean());
    JsonNode none = history(alice, "room", "lobby", "before", ids.get(0));
    assertEquals(List.of(), texts(none));
    assertFalse(none.path("hasMore").asBoolean());
    JsonNode all = history(alice, "room", "lobby");
    assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7"), texts(all), "default limit 50");
    assertFalse(all.path("hasMore").asBoolean());
    assertEquals(List.of(), texts(history(alice, "room", "general")), "rooms are separate");

    HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(metrics.body().contains("\nswitchboard_history_stored_total 7\n"), metrics.body());
    assertTrue(metrics.body().contains("\nswitchboard_history_not_stored_total 0\n"), metrics.body());
  }

  @Test
  void onlyMembersReadARoomAndBadRequestsGetTheChatsRefusals() throws Exception {
    ChatServer server = start(config());
    User alice = user(server, "alice");
    User mallory = user(server, "mallory");
    alice.socket().emitWithAck("join", map("room", "secret"));
    say(alice, "secret", "the plans");
    assertEquals(refused("You have not joined this room"), history(mallory, "room", "secret"));
    JsonNode error = mallory.socket().awaitEvent("error");
    assertEquals("get-history", error.path("event").asText());
    // After leaving, no more reading either.
    alice.socket().emitWithAck("leave", map("room", "secret"));
    assertEquals(refused("You have not joined this room"), history(alice, "room", "secret"));

    assertEquals(refused("room must be a string"), history(alice));
    assertEquals(refused("Invalid room name"), history(alice, "room", "'; DROP TABLE messages; --"));
    assertEquals(refused("before must be a string"), history(alice, "room", "general", "before", 12));
    assertEquals(refused("Invalid message id"), history(alice, "room", "general", "before", "12a"));
    assertEquals(refused("Invalid message id"), history(alice, "room", "general", "before", "99999999999999999999"));
    String range = "limit must be a whole number from 1 to 200";
    assertEquals(refused(range), history(alice, "room", "general", "limit", 0));
    assertEquals(refused(range), history(alice, "room", "general", "limit", 201));
    assertEquals(refused(range), history(alice, "room", "general", "limit", 2.5));
    assertEquals(refused("limit must be a number"), history(alice, "room", "general", "limit", "10"));
    assertEquals(refused("Invalid payload: expected an object"), alice.socket().emitWithAck("get-history", "general"));
    assertTrue(history(alice, "room", "general", "limit", 200).path("ok").asBoolean());
    assertEquals(refused("Invalid user id"), alice.socket().emitWithAck("get-private-history", map("userId", "")));
    assertEquals(refused("userId must be a string"), alice.socket().emitWithAck("get-private-history", map()));
  }

  @Test
  void privateHistoryIsTheSameConversationFromBothSidesAndNeedsNoOneOnline() throws Exception {
    ChatServer server = start(config());
    User alice = user(server, "alice");
    User bob = user(server, "bob");
    User carol = user(server, "carol");
    List<JsonNode> delivered = new ArrayList<>();
    String[][] lines = {{"a", "hi bob"}, {"b", "hi alice"}, {"a", "how are you?"}};
    for (String[] line : lines) {
      User from = line[0].equals("a") ? alice : bob;
      User to = from == alice ? bob : alice;
      JsonNode ack = from.socket().emitWithAck("private-message", map("targetUserId", to.id(), "message", line[1]));
      assertTrue(ack.path("ok").asBoolean(), ack.toString());
      delivered.add(to.socket().awaitEvent("private-message", m -> m.path("message").asText().equals(line[1])));
    }
    alice.socket().emitWithAck("private-message", map("targetUserId", carol.id(), "message", "hi carol"));

    ObjectNode expected = JSON.createObjectNode().put("ok", true).put("userId", bob.id());
    delivered.forEach(expected.putArray("messages")::add);
    expected.put("hasMore", false);
    assertEquals(expected, alice.socket().emitWithAck("get-private-history", map("userId", bob.id())));
    JsonNode bobsSide = bob.socket().emitWithAck("get-private-history", map("userId", alice.id(), "limit", 2));
    assertEquals(List.of("hi alice", "how are you?"), texts(bobsSide));
    assertTrue(bobsSide.path("hasMore").asBoolean());
    JsonNode older = bob.socket().emitWithAck("get-private-history",
        map("userId", alice.id(), "before", bobsSide.path("messages").get(0).path("id").asText()));
    assertEquals(List.of("hi bob"), texts(older));
    assertEquals(List.of("hi carol"), texts(carol.socket().emitWithAck("get-private-history", map("userId", alice.id()))));
    assertEquals(List.of(), texts(carol.socket().emitWithAck("get-private-history", map("userId", bob.id()))),
        "nobody reads a conversation they are not in");

    bob.socket().close();
    Await.until("bob offline", () -> alice.socket().takeEvents("user-left").size() == 1);
    assertEquals(3, alice.socket().emitWithAck("get-private-history", map("userId", bob.id())).path("messages").size(),
        "the other side need not be online");
  }

  @Test
  void historyAndIdsOutliveARestart() throws Exception {
    ChatServer first = start(config());
    User alice = user(first, "alice");
    Set<String> ids = new HashSet<>();
    for (int i = 1; i <= 3; i++) ids.add(say(alice, "general", "before " + i));
    first.close(); // stores what is queued
    ChatServer second = start(config());
    HttpResponse<String> login = post(second, "/auth/login", credentials("alice"));
    User again = connect(second, alice.id(), "alice", JSON.readTree(login.body()).path("token").asText());
    JsonNode page = history(again, "room", "general");
    assertEquals(List.of("before 1", "before 2", "before 3"), texts(page));
    long newest = 0;
    for (JsonNode m : page.path("messages")) newest = Math.max(newest, Long.parseLong(m.path("id").asText()));
    for (int i = 1; i <= 3; i++) {
      String id = say(again, "general", "after " + i);
      assertTrue(ids.add(id), "a new id: " + id);
      assertTrue(Long.parseLong(id) > newest, "ids continue above the stored ones: " + id);
    }
    assertEquals(6, history(again, "room", "general").path("messages").size());
  }

  /** Text the chat accepts (no control characters but tab and newline), shaped like attacks. */
  static final List<String> HOSTILE = List.of(
      "O'Brien",
      "'; DROP TABLE messages; --",
      "Robert\"); DROP TABLE users;--",
      "' OR '1'='1",
      "%_ like wildcards \\ backslash",
      "tab\tand\nnewline",
      "😀 emoji, 👩‍👩‍👧 a family (ZWJ), 𝄞",
      "\u202Eright-to-left override",
      "<script>alert(1)</script> ${x} $1 ?",
      "ＡＢＣ fullwidth, é composed, e\u0301 decomposed");

  @Test
  void injectionShapedTextComesBackByteForByte() throws Exception {
    ChatServer server = start(config());
    User alice = user(server, "alice");
    User bob = user(server, "bob");
    for (String s : HOSTILE) {
      clock.advanceBy(Duration.ofSeconds(2)); // the rate limit: one message back per second, two sent
      say(alice, "general", s);
      alice.socket().emitWithAck("private-message", map("targetUserId", bob.id(), "message", s));
    }
    List<String> room = texts(history(bob, "room", "general"));
    List<String> dm = texts(bob.socket().emitWithAck("get-private-history", map("userId", alice.id())));
    assertEquals(HOSTILE, room);
    assertEquals(HOSTILE, dm);
    for (int i = 0; i < HOSTILE.size(); i++) {
      assertArrayEquals(HOSTILE.get(i).getBytes(StandardCharsets.UTF_8), room.get(i).getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(refused("Invalid room name"), history(alice, "room", "general' OR '1'='1"));
  }

  @Test
  void retentionRunsOnTheClockAndKeepsTheNewestWithinTheAge() throws Exception {
    ServerConfig c = config().withHistory(new Retention(3, Duration.ofHours(1))).withTokenTtl(Duration.ofHours(3));
    ChatServer server = start(c);
    User alice = user(server, "alice");
    for (int i = 1; i <= 5; i++) say(alice, "general", "a" + i);
    assertEquals(5, history(alice, "room", "general").path("messages").size(), "nothing trimmed before the job runs");
    clock.advanceBy(Duration.ofMinutes(1)); // the first run
    Await.until("three kept", () -> texts(uncheckedHistory(alice)).equals(List.of("a3", "a4", "a5")));
    say(alice, "general", "b1");
    clock.advanceBy(Duration.ofHours(1)); // the hourly run: a3..a5 are an hour old now, b1 is not
    Await.until("only b1 left", () -> texts(uncheckedHistory(alice)).equals(List.of("b1")));
  }

  static JsonNode uncheckedHistory(User u) {
    try {
      return history(u, "room", "general");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
