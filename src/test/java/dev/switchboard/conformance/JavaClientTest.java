package dev.switchboard.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RawHttpClient;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * socket.io-client-java 2.1.2, the client of many Android apps, against our server (issue #12). Its
 * Engine.IO layer writes binary over long-polling as Android's {@code Base64.DEFAULT} does: padded,
 * with a trailing newline ({@code bAQID\n}), which Node's {@code Buffer.from(s, "base64")} accepts
 * and we once refused with 400 (spec-notes/engine-io-codec.md, "Base64").
 */
class JavaClientTest {
  private static final long WAIT_S = 10;
  private SocketIoServer io;
  private final List<Socket> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void quietClientLogs() {
    // The client logs every reconnection attempt at INFO/WARNING through java.util.logging.
    Logger.getLogger("io.socket").setLevel(Level.SEVERE);
  }

  @BeforeEach
  void start() throws Exception {
    io = ThirdPartyClientApp.start();
  }

  @AfterEach
  void stop() {
    for (Socket c : clients) c.close();
    io.close();
  }

  private Socket client(String namespace, String token, String... transports) throws Exception {
    IO.Options o = new IO.Options();
    o.forceNew = true;
    o.reconnection = false;
    o.transports = transports;
    if (token != null) o.auth = Map.of("token", token);
    Socket s = IO.socket(new URI("http://127.0.0.1:" + io.port() + namespace), o);
    clients.add(s);
    return s;
  }

  private static CompletableFuture<Object[]> once(Socket s, String event) {
    CompletableFuture<Object[]> f = new CompletableFuture<>();
    s.once(event, f::complete);
    return f;
  }

  /** The repro without a client library: the base64 record ends with a newline. */
  @Test
  void aBinaryAttachmentInAndroidStyleBase64OverPollingIsDeliveredAndAcked() throws Exception {
    int port = io.port();
    String open = RawHttpClient.request(port, "GET", "/socket.io/?EIO=4&transport=polling", null).bodyText();
    String sid = open.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
    String base = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    assertEquals("ok", RawHttpClient.request(port, "POST", base, "40{\"token\":\"secret\"}").bodyText());
    String received = RawHttpClient.request(port, "GET", base, null).bodyText();
    assertTrue(received.startsWith("40{\"sid\""), received);
    // The welcome event may come in the same payload as the CONNECT answer, or in the next one.
    if (!received.contains("welcome")) received = RawHttpClient.request(port, "GET", base, null).bodyText();
    assertTrue(received.contains("42[\"welcome\",\"polling\"]"), received);
    assertEquals("ok", RawHttpClient.request(port, "POST", base, "451-1[\"bytes\",{\"_placeholder\":true,\"num\":0}]").bodyText());
    RawHttpClient.Response attachment = RawHttpClient.request(port, "POST", base, "bAQID\n");
    assertEquals(200, attachment.status(), attachment.bodyText());
    assertEquals("ok", attachment.bodyText());
    assertEquals("461-1[\"[1, 2, 3]\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID",
        RawHttpClient.request(port, "GET", base, null).bodyText());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"polling", "websocket", "polling+websocket"})
  void connectsWithAuthAndExchangesBinaryWithAcksBothWays(String transports) throws Exception {
    Socket s = client("/", "secret", transports.split("\\+"));
    CompletableFuture<Object[]> welcome = once(s, "welcome");
    s.on("question", args -> ((io.socket.client.Ack) args[args.length - 1]).call("yes to " + args[0]));
    s.connect();
    assertEquals(transports.equals("websocket") ? "websocket" : "polling", welcome.get(WAIT_S, TimeUnit.SECONDS)[0]);

    byte[] payload = new byte[300];
    for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 7);
    CompletableFuture<Object[]> echoed = new CompletableFuture<>();
    s.emit("bytes", new Object[] {payload}, echoed::complete);
    Object[] answer = echoed.get(WAIT_S, TimeUnit.SECONDS);
    assertEquals(Arrays.toString(payload), answer[0]);
    assertArrayEquals(payload, (byte[]) answer[1]);

    CompletableFuture<Object[]> asked = new CompletableFuture<>();
    s.emit("ask", new Object[] {"tea?"}, asked::complete);
    assertEquals("client said yes to tea?", asked.get(WAIT_S, TimeUnit.SECONDS)[0]);
  }

  @Test
  void upgradesFromPollingToWebSocket() throws Exception {
    Socket s = client("/", "secret", "polling", "websocket");
    CompletableFuture<Object[]> welcome = once(s, "welcome");
    s.connect();
    assertEquals("polling", welcome.get(WAIT_S, TimeUnit.SECONDS)[0]);
    // engine.io-protocol §Upgrade: the client probes and switches by itself; the server's socket
    // then reports the new transport.
    Await.until("the server sees the socket on WebSocket", () -> {
      CompletableFuture<Object[]> t = new CompletableFuture<>();
      s.emit("transport", new Object[0], t::complete);
      return "websocket".equals(t.orTimeout(WAIT_S, TimeUnit.SECONDS).join()[0]);
    });
    CompletableFuture<Object[]> echoed = new CompletableFuture<>();
    s.emit("bytes", new Object[] {new byte[] {9}}, echoed::complete);
    assertEquals("[9]", echoed.get(WAIT_S, TimeUnit.SECONDS)[0]);
  }

  @Test
  void aRefusedHandshakeReachesTheClientAsConnectErrorWithItsData() throws Exception {
    Socket s = client("/", "wrong", "websocket");
    CompletableFuture<Object[]> error = once(s, Socket.EVENT_CONNECT_ERROR);
    s.connect();
    Object[] args = error.get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(args[0] instanceof JSONObject, String.valueOf(args[0]));
    JSONObject err = (JSONObject) args[0];
    assertEquals("unauthorized", err.getString("message"));
    assertEquals("BAD_TOKEN", err.getJSONObject("data").getString("code"));
  }

  @Test
  void connectsToASecondNamespaceOverTheSameConnection() throws Exception {
    Socket main = client("/", "secret", "websocket");
    CompletableFuture<Object[]> mainUp = once(main, Socket.EVENT_CONNECT);
    main.connect();
    mainUp.get(WAIT_S, TimeUnit.SECONDS);
    // Without forceNew the client multiplexes /admin over the Manager of the same URL.
    IO.Options o = new IO.Options();
    o.transports = new String[] {"websocket"};
    o.reconnection = false;
    o.auth = Map.of("token", "secret");
    Socket admin = main.io().socket("/admin", o);
    clients.add(admin);
    CompletableFuture<Object[]> pong = new CompletableFuture<>();
    admin.on(Socket.EVENT_CONNECT, args -> admin.emit("ping-admin", new Object[0], pong::complete));
    admin.connect();
    assertEquals("admin pong", pong.get(WAIT_S, TimeUnit.SECONDS)[0]);
    assertTrue(main.connected());
  }

  @Test
  void reconnectsAfterTheServerGoesAwayAndComesBackOnTheSamePort() throws Exception {
    io.close();
    start(0);
    int port = io.port();
    IO.Options o = new IO.Options();
    o.forceNew = true;
    o.transports = new String[] {"websocket"};
    o.reconnectionDelay = 50;
    o.reconnectionDelayMax = 200;
    o.auth = Map.of("token", "secret");
    Socket s = IO.socket(new URI("http://127.0.0.1:" + port), o);
    clients.add(s);
    CompletableFuture<Object[]> first = once(s, Socket.EVENT_CONNECT);
    s.connect();
    first.get(WAIT_S, TimeUnit.SECONDS);
    String firstId = s.id();

    CompletableFuture<Object[]> lost = once(s, Socket.EVENT_DISCONNECT);
    io.close();
    // This client leaves a WebSocket close frame unanswered (OkHttp waits for the application to
    // close), so it notices a server that went away only by its heartbeat: pingInterval +
    // pingTimeout, short on this server. Node's server closes the same way and gets the same.
    assertEquals("ping timeout", lost.get(WAIT_S, TimeUnit.SECONDS)[0]);
    CompletableFuture<Object[]> again = once(s, Socket.EVENT_CONNECT);
    start(port);
    again.get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(s.connected());
    assertTrue(!firstId.equals(s.id()), "a new session after the server restarted");
    CompletableFuture<Object[]> echoed = new CompletableFuture<>();
    s.emit("bytes", new Object[] {new byte[] {4, 2}}, echoed::complete);
    assertEquals("[4, 2]", echoed.get(WAIT_S, TimeUnit.SECONDS)[0]);
  }

  /** A server with a short heartbeat, on a given port (0: a free one), for the reconnection test. */
  private void start(int port) throws Exception {
    SocketIoServer old = io;
    io = new SocketIoServer(SocketIoOptions.builder()
        .net(NetOptions.builder().host("127.0.0.1").build())
        .engine(EngineIoOptions.builder().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(300)).build())
        .build());
    io.use((socket, next) -> next.proceed());
    io.onConnection(socket -> socket.on("bytes", (args, ack) -> ack.send(Arrays.toString(args.getBytes(0)))));
    io.listen(port);
    assertTrue(old != io);
  }
}
