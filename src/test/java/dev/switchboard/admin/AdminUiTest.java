package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.SessionIdGenerator;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.FakeScheduler;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.RawWebSocketClient;
import dev.switchboard.testing.SocketIoTestClient;
import dev.switchboard.testing.SocketIoTestClient.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mindrot.jbcrypt.BCrypt;

/**
 * The admin namespace's protocol as {@code @socket.io/admin-ui} 0.5 speaks it, with a raw
 * Socket.IO client: authentication (password, session id, refusals), what the UI is sent on
 * connecting and then, the actions with their acks, production mode, and that the application's
 * namespaces see nothing of it. The clock is a {@link FakeScheduler}: {@code server_stats} goes
 * out when the test moves time.
 */
class AdminUiTest {
  private static final String ADMIN = "/admin";
  private static final String HASH = BCrypt.hashpw("correct horse", BCrypt.gensalt(4));
  private static final String LOGIN = "{\"username\":\"admin\",\"password\":\"correct horse\"}";

  private final FakeScheduler clock = new FakeScheduler();
  private final List<AutoCloseable> open = new ArrayList<>();
  private SocketIoServer io;
  private AdminUi ui;

  @BeforeEach
  void start() throws Exception {
    start(AdminUiOptions.builder().basicAuth("admin", HASH).build());
  }

  private void start(AdminUiOptions options) throws Exception {
    io = new SocketIoServer(SocketIoOptions.DEFAULTS, clock, SessionIdGenerator.secureRandom());
    io.onConnection(socket -> {
      socket.join("lobby");
      socket.on("ping-me", (args, ack) -> socket.emit("pong-you", args.get(0)));
    });
    ui = AdminUi.instrument(io, options);
    io.listen(0);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) c.close();
    ui.close();
    io.close();
  }

  private SocketIoTestClient user() throws Exception {
    SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null);
    open.add(c);
    return c;
  }

  /** Opens a connection and sends CONNECT for /admin with {@code auth}; returns the answer. */
  private Packet adminConnect(SocketIoTestClient c, String auth) throws Exception {
    c.send("0" + ADMIN + "," + auth);
    return c.awaitPacket("CONNECT answer for /admin", SocketIoTestClient.DEFAULT_TIMEOUT,
        p -> p.namespace().equals(ADMIN) && (p.type() == SocketIoTestClient.CONNECT || p.type() == SocketIoTestClient.CONNECT_ERROR));
  }

  private SocketIoTestClient admin(String auth) throws Exception {
    SocketIoTestClient c = SocketIoTestClient.open(io.port());
    open.add(c);
    Packet answer = adminConnect(c, auth);
    assertEquals(SocketIoTestClient.CONNECT, answer.type(), "admin connect: " + answer.data());
    return c;
  }

  private static Packet event(SocketIoTestClient c, String name) {
    return c.awaitPacket("admin event " + name, SocketIoTestClient.DEFAULT_TIMEOUT,
        p -> p.namespace().equals(ADMIN) && name.equals(p.event()));
  }

  private static Packet event(SocketIoTestClient c, String name, java.util.function.Predicate<Packet> test) {
    return c.awaitPacket("admin event " + name, SocketIoTestClient.DEFAULT_TIMEOUT,
        p -> p.namespace().equals(ADMIN) && name.equals(p.event()) && test.test(p));
  }

  private static JsonNode ack(SocketIoTestClient c, long id, String eventJson) throws Exception {
    c.send("2" + ADMIN + "," + id + eventJson);
    return c.awaitPacket("ack " + id, SocketIoTestClient.DEFAULT_TIMEOUT,
        p -> p.namespace().equals(ADMIN) && p.type() == SocketIoTestClient.ACK && p.ackId() == id).arg(0);
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new java.util.HashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  // ------------------------------------------------------------------ authentication

  @Test
  void aWrongPasswordAWrongUserAndNoCredentialsAreRefusedWithTheSentenceTheUiRecognises() throws Exception {
    for (String auth : List.of("{\"username\":\"admin\",\"password\":\"wrong\"}",
        "{\"username\":\"root\",\"password\":\"correct horse\"}", "{}", "{\"username\":1,\"password\":[]}",
        "{\"sessionId\":\"made-up\"}", "{\"username\":\"admin\",\"password\":\"" + "x".repeat(73) + "\"}")) {
      SocketIoTestClient c = SocketIoTestClient.open(io.port()); // one each: refused CONNECTs are limited per connection
      open.add(c);
      Packet answer = adminConnect(c, auth);
      assertEquals(SocketIoTestClient.CONNECT_ERROR, answer.type(), auth);
      assertEquals(AdminUi.INVALID_CREDENTIALS, answer.data().path("message").asText(), auth);
    }
    assertTrue(io.of(ADMIN).sockets().isEmpty());
  }

  @Test
  void theRightPasswordGetsASessionIdThatLetsTheUiReconnectWithoutIt() throws Exception {
    SocketIoTestClient first = admin(LOGIN);
    String session = event(first, "session").arg(0).asText();
    assertEquals(32, session.length());
    first.close();

    SocketIoTestClient again = admin("{\"sessionId\":\"" + session + "\"}");
    event(again, "config");
    again.assertNoEvent("session"); // no new id for a session that is still valid
  }

  @Test
  void optionsRefuseAMissingAuthChoiceAndAPlainPassword() {
    assertThrows(IllegalStateException.class, () -> AdminUiOptions.builder().build());
    assertThrows(IllegalArgumentException.class, () -> AdminUiOptions.builder().basicAuth("admin", "correct horse"));
    assertThrows(IllegalArgumentException.class, () -> AdminUiOptions.builder().basicAuth("", HASH));
    assertTrue(AdminUiOptions.isBcryptHash(HASH.replace("$2a$", "$2b$")));
  }

  @Test
  void noAuthLetsAnyoneInOnlyWhenSaid() throws Exception {
    stop();
    open.clear();
    start(AdminUiOptions.builder().noAuth().build());
    SocketIoTestClient c = admin("{}");
    event(c, "config");
  }

  // ------------------------------------------------------------------ what the UI is sent

  @Test
  void onConnectingTheUiGetsTheFeaturesEverySocketWithItsRoomsAndTheServerStats() throws Exception {
    SocketIoTestClient alice = user();
    SocketIoTestClient c = admin(LOGIN);

    JsonNode config = event(c, "config").arg(0);
    assertEquals(Set.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS",
        "ALL_EVENTS"), texts(config.path("supportedFeatures")));

    JsonNode all = event(c, "all_sockets").arg(0);
    JsonNode aliceJson = null;
    for (JsonNode s : all) if (s.path("id").asText().equals(alice.sid())) aliceJson = s;
    assertTrue(aliceJson != null, "alice in " + all);
    assertEquals("/", aliceJson.path("nsp").asText());
    assertEquals("websocket", aliceJson.path("transport").asText());
    assertEquals(12, aliceJson.path("clientId").asText().length());
    assertEquals(Set.of(alice.sid(), "lobby"), texts(aliceJson.path("rooms")));
    assertEquals("127.0.0.1", aliceJson.path("handshake").path("address").asText());
    assertFalse(aliceJson.path("handshake").has("auth"), "the auth payload never goes to the UI");

    JsonNode stats = event(c, "server_stats").arg(0);
    assertEquals(2, stats.path("clientsCount").asInt()); // alice and the admin
    assertEquals(0, stats.path("pollingClientsCount").asInt());
    assertTrue(stats.path("uptime").asDouble() >= 0);
    assertTrue(stats.path("memoryUsage").path("heapUsed").asLong() > 0);
    boolean sawMain = false;
    for (JsonNode ns : stats.path("namespaces")) {
      if (ns.path("name").asText().equals("/")) {
        assertEquals(1, ns.path("socketsCount").asInt());
        sawMain = true;
      }
    }
    assertTrue(sawMain, stats.toString());
  }

  @Test
  void theFeedFollowsConnectionsRoomsEventsAndDisconnectionsAndTheStatsCountThem() throws Exception {
    SocketIoTestClient c = admin(LOGIN);
    event(c, "config");

    SocketIoTestClient bob = user();
    Packet connected = event(c, "socket_connected", p -> p.arg(0).path("id").asText().equals(bob.sid()));
    assertEquals("/", connected.arg(0).path("nsp").asText());
    assertTrue(connected.arg(1).asText().endsWith("Z"), "an ISO-8601 time: " + connected.arg(1));
    event(c, "room_joined", p -> p.arg(1).asText().equals("lobby") && p.arg(2).asText().equals(bob.sid()));

    bob.emit("ping-me", "hello");
    Packet received = event(c, "event_received", p -> p.arg(1).asText().equals(bob.sid()));
    assertEquals("[\"ping-me\",\"hello\"]", received.arg(2).toString());
    Packet sent = event(c, "event_sent", p -> p.arg(1).asText().equals(bob.sid()));
    assertEquals("[\"pong-you\",\"hello\"]", sent.arg(2).toString());

    bob.close();
    Packet gone = event(c, "socket_disconnected", p -> p.arg(1).asText().equals(bob.sid()));
    assertEquals("/", gone.arg(0).asText());
    assertEquals("transport close", gone.arg(2).asText());
    event(c, "room_left", p -> p.arg(1).asText().equals("lobby") && p.arg(2).asText().equals(bob.sid()));

    clock.advanceBy(Duration.ofSeconds(2));
    JsonNode stats = event(c, "server_stats", p -> p.arg(0).path("aggregatedEvents").size() > 0).arg(0);
    Set<String> kinds = new java.util.HashSet<>();
    for (JsonNode e : stats.path("aggregatedEvents")) kinds.add(e.path("type").asText() + "/" + e.path("subType").asText());
    assertTrue(kinds.containsAll(Set.of("rawConnection/", "rawDisconnection/transport close")), kinds.toString());
  }

  @Test
  void aSocketThatConnectedOverPollingIsReportedAgainOnceItUpgraded() throws Exception {
    SocketIoTestClient c = admin(LOGIN);
    event(c, "config");
    int port = io.port();
    String open = RawHttpClient.request(port, "GET", "/socket.io/?EIO=4&transport=polling", null).bodyText();
    String sid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(open.substring(1)).path("sid").asText();
    assertEquals(200, RawHttpClient.request(port, "POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "40",
        "Content-Type", "text/plain;charset=UTF-8").status());
    Packet connected = event(c, "socket_connected", p -> p.arg(0).path("transport").asText().equals("polling"));
    String id = connected.arg(0).path("id").asText();

    try (RawWebSocketClient ws = RawWebSocketClient.open(port, "/socket.io/?EIO=4&transport=websocket&sid=" + sid)) {
      ws.sendText("2probe");
      assertEquals("3probe", ws.readText());
      ws.sendText("5");
      Await.until("the upgrade", () -> "websocket".equals(io.sockets().sockets().get(id).transport()));
      clock.advanceBy(Duration.ofSeconds(2)); // upgrades are looked for at each report
      JsonNode update = event(c, "socket_updated").arg(0);
      assertEquals(id, update.path("id").asText());
      assertEquals("/", update.path("nsp").asText());
      assertEquals("websocket", update.path("transport").asText());
    }
  }

  // ------------------------------------------------------------------ actions

  @Test
  void joinLeaveAndDisconnectActOnTheSocketsTheFilterNamesAndAnswerTheirAcks() throws Exception {
    SocketIoTestClient alice = user();
    SocketIoTestClient bob = user();
    SocketIoTestClient c = admin(LOGIN);
    event(c, "config");

    assertTrue(ack(c, 1, "[\"join\",\"/\",\"ops\",\"" + alice.sid() + "\"]").path("ok").asBoolean());
    Await.until("alice in ops", () -> io.sockets().sockets().get(alice.sid()).rooms().contains("ops"));
    assertFalse(io.sockets().sockets().get(bob.sid()).rooms().contains("ops"));
    event(c, "room_joined", p -> p.arg(1).asText().equals("ops") && p.arg(2).asText().equals(alice.sid()));

    assertTrue(ack(c, 2, "[\"leave\",\"/\",\"lobby\"]").path("ok").asBoolean()); // no filter: every socket
    Await.until("nobody in lobby", () -> io.sockets().sockets().values().stream().noneMatch(s -> s.rooms().contains("lobby")));

    assertTrue(ack(c, 3, "[\"emit\",\"/\",\"ops\",\"notice\",{\"text\":\"hi\"}]").path("ok").asBoolean());
    assertEquals("hi", alice.awaitEvent("notice").path("text").asText());
    bob.assertNoEvent("notice");

    assertTrue(ack(c, 4, "[\"_disconnect\",\"/\",false,\"" + bob.sid() + "\"]").path("ok").asBoolean());
    bob.awaitDisconnect();
    event(c, "socket_disconnected", p -> p.arg(1).asText().equals(bob.sid()) && p.arg(2).asText().equals("server namespace disconnect"));
    assertTrue(io.sockets().sockets().containsKey(alice.sid()));
  }

  @Test
  void actionsWithBadArgumentsChangeNothingAndSayWhy() throws Exception {
    SocketIoTestClient alice = user();
    SocketIoTestClient c = admin(LOGIN);
    event(c, "config");
    int namespaces = io.namespaces().size();

    JsonNode unknown = ack(c, 1, "[\"join\",\"/made-up\",\"ops\"]");
    assertFalse(unknown.path("ok").asBoolean());
    assertEquals("no such namespace", unknown.path("error").asText());
    assertEquals(namespaces, io.namespaces().size(), "the UI's input never creates a namespace");
    assertFalse(ack(c, 2, "[\"join\",\"/\",{\"room\":1}]").path("ok").asBoolean());
    assertFalse(ack(c, 3, "[\"leave\",\"/\",\"lobby\",42]").path("ok").asBoolean());
    assertFalse(ack(c, 4, "[\"_disconnect\",\"/\",\"yes\"]").path("ok").asBoolean());
    assertFalse(ack(c, 5, "[\"emit\",\"/\",null,7]").path("ok").asBoolean());
    assertFalse(ack(c, 6, "[\"join\"]").path("ok").asBoolean());
    assertEquals(Set.of(alice.sid(), "lobby"), io.sockets().sockets().get(alice.sid()).rooms());
  }

  @Test
  void readonlyOffersNoActionAndIgnoresThem() throws Exception {
    stop();
    open.clear();
    start(AdminUiOptions.builder().basicAuth("admin", HASH).readonly(true).build());
    SocketIoTestClient alice = user();
    SocketIoTestClient c = admin(LOGIN);
    assertEquals(Set.of("AGGREGATED_EVENTS", "ALL_EVENTS"), texts(event(c, "config").arg(0).path("supportedFeatures")));
    c.send("2" + ADMIN + ",[\"_disconnect\",\"/\",true]");
    c.sync();
    alice.sync();
    assertTrue(io.sockets().sockets().containsKey(alice.sid()));
  }

  // ------------------------------------------------------------------ production mode, other namespaces

  @Test
  void productionModeSendsCountsButNoSocketsNorFeed() throws Exception {
    stop();
    open.clear();
    start(AdminUiOptions.builder().basicAuth("admin", HASH).mode(AdminUiOptions.Mode.PRODUCTION).build());
    SocketIoTestClient c = admin(LOGIN);
    JsonNode features = event(c, "config").arg(0).path("supportedFeatures");
    assertFalse(texts(features).contains("ALL_EVENTS"));
    SocketIoTestClient alice = user();
    alice.emit("ping-me", "x");
    alice.awaitEvent("pong-you");
    clock.advanceBy(Duration.ofSeconds(2));
    JsonNode stats = event(c, "server_stats", p -> p.arg(0).path("aggregatedEvents").size() > 0).arg(0);
    assertEquals("rawConnection", stats.path("aggregatedEvents").get(0).path("type").asText());
    c.assertNoEvent("all_sockets");
    c.assertNoEvent("socket_connected");
    c.assertNoEvent("event_received");
  }

  @Test
  void theApplicationsNamespacesAreUntouched() throws Exception {
    SocketIoTestClient c = admin(LOGIN);
    event(c, "config");
    // "/" needs no admin credentials, and its clients hear nothing of the admin namespace.
    SocketIoTestClient alice = user();
    alice.emit("ping-me", "x");
    assertEquals("x", alice.awaitEvent("pong-you").asText());
    clock.advanceBy(Duration.ofSeconds(2));
    event(c, "server_stats", p -> p.arg(0).path("aggregatedEvents").size() > 0);
    alice.sync();
    for (String name : List.of("server_stats", "socket_connected", "room_joined", "event_received", "config")) {
      assertEquals(List.of(), alice.takeEvents(name), name);
    }
    assertEquals(Set.of(alice.sid(), "lobby"), io.sockets().sockets().get(alice.sid()).rooms());
  }

  @Test
  void aDynamicNamespaceMadeLaterIsWatchedToo() throws Exception {
    io.of(java.util.regex.Pattern.compile("^/team-\\d+$")).onConnection(s -> s.join("team"));
    SocketIoTestClient c = admin(LOGIN);
    event(c, "config");
    SocketIoTestClient carol = SocketIoTestClient.open(io.port());
    open.add(carol);
    carol.send("0/team-7,");
    Packet connected = event(c, "socket_connected", p -> p.arg(0).path("nsp").asText().equals("/team-7"));
    assertTrue(texts(connected.arg(0).path("rooms")).contains("team"), connected.arg(0).toString());
  }
}
