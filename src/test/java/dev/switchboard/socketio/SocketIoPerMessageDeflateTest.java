package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.NodeScripts;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.websocket.DeflateOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate with the official client (socket.io-client over Node's {@code ws}, which
 * offers the extension by default), and the {@code compress(false)} flag over WebSocket and
 * polling. The official client runs in Node ({@code conformance/deflate/socket-io-client.mjs}):
 * skipped with {@code -Dconformance.skip=true}, like the other Node scenarios.
 */
class SocketIoPerMessageDeflateTest {
  private static final String BIG = "hello world ".repeat(500);
  private SocketIoServer io;

  @BeforeEach
  void start() throws Exception {
    start(DeflateOptions.DEFAULTS);
  }

  private void start(DeflateOptions deflate) throws Exception {
    if (io != null) io.close();
    io = new SocketIoServer(SocketIoOptions.builder()
        .engine(EngineIoOptions.builder().perMessageDeflate(deflate).build())
        .net(NetOptions.builder().host("127.0.0.1").port(0).build())
        .build());
    io.onConnection(socket -> {
      socket.on("echo", (args, ack) -> ack.send(args.getString(0)));
      socket.on("send-plain", (args, ack) -> socket.compress(false).emit("plain", BIG));
      socket.on("broadcast", (args, ack) -> io.emit("news", BIG));
      socket.on("broadcast-plain", (args, ack) -> io.compress(false).emit("news", BIG));
    });
    io.listen(io.options().net());
  }

  @AfterEach
  void stop() {
    io.close();
  }

  @Test
  void theOfficialClientGetsCompressedFramesExceptWhereCompressIsFalse() throws Exception {
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    NodeScripts.run("deflate/socket-io-client.mjs", List.of(), Map.of("SERVER_URL", "http://127.0.0.1:" + io.port()), 30);
  }

  @Test
  void withoutServerContextTakeoverTheBroadcastCompressedOnceIsReadByEveryClient() throws Exception {
    // ws accepts server_no_context_takeover in the answer; a broadcast's frames are then
    // compressed once (SharedMessage.framesFor) and the same bytes go to both clients.
    start(new DeflateOptions(1024, true, false));
    assumeFalse(Boolean.getBoolean("conformance.skip"), "Node scenarios skipped (-Dconformance.skip=true)");
    NodeScripts.run("deflate/socket-io-client.mjs", List.of(),
        Map.of("SERVER_URL", "http://127.0.0.1:" + io.port(), "SERVER_NO_CONTEXT_TAKEOVER", "1"), 30);
  }

  @Test
  void aPollingResponseOfCompressFalsePacketsOnlyIsNotGzipped() throws Exception {
    String sid = handshake();
    post(sid, "40");
    String connected = poll(sid);
    assertEquals('4', connected.charAt(0), connected);
    post(sid, "42[\"send-plain\"]");
    RawHttpClient.Response plain = RawHttpClient.request(io.port(), "GET", path(sid), null, "Accept-Encoding", "gzip");
    assertEquals(200, plain.status());
    assertNull(plain.header("Content-Encoding"), "compress(false) only: not gzipped");
    assertEquals("42[\"plain\",\"" + BIG + "\"]", plain.bodyText());
    post(sid, "42[\"broadcast\"]");
    RawHttpClient.Response gzipped = RawHttpClient.request(io.port(), "GET", path(sid), null, "Accept-Encoding", "gzip");
    assertEquals("gzip", gzipped.header("Content-Encoding"), "a compressible packet over the threshold");
    post(sid, "1"); // closed by the client: nothing left for the server's close to wait for
  }

  private String handshake() throws Exception {
    String body = RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=polling", null).bodyText();
    int i = body.indexOf("\"sid\":\"") + 7;
    return body.substring(i, body.indexOf('"', i));
  }

  private static String path(String sid) {
    return "/socket.io/?EIO=4&transport=polling&sid=" + sid;
  }

  private void post(String sid, String body) throws Exception {
    assertEquals(200, RawHttpClient.request(io.port(), "POST", path(sid), body).status());
  }

  private String poll(String sid) throws Exception {
    return RawHttpClient.request(io.port(), "GET", path(sid), null).bodyText();
  }
}
