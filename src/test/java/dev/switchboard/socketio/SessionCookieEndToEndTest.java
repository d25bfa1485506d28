package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.SessionCookie;
import dev.switchboard.net.NetOptions;
import dev.switchboard.testing.RawHttpClient;
import dev.switchboard.testing.RawWebSocketClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineIoOptions#cookie()}, Node's {@code cookie} option, on a real server: the answer to
 * a handshake, over polling and over WebSocket, sets the cookie to the new session's id; nothing
 * else does, and without the option nothing does.
 */
class SessionCookieEndToEndTest {
  private static final Pattern SID = Pattern.compile("^0\\{\"sid\":\"([^\"]+)\"");

  private static SocketIoServer server(SessionCookie cookie) {
    return new SocketIoServer(SocketIoOptions.builder()
        .net(NetOptions.builder().host("127.0.0.1").build())
        .engine(EngineIoOptions.builder().cookie(cookie).build())
        .build());
  }

  private static String sidOf(String openPacket) {
    Matcher m = SID.matcher(openPacket);
    assertTrue(m.find(), openPacket);
    return m.group(1);
  }

  @Test
  void aPollingHandshakeSetsTheCookieToItsSidAndLaterPollsDoNot() throws Exception {
    try (SocketIoServer io = server(SessionCookie.DEFAULT)) {
      io.onConnection(socket -> { });
      io.listen(0);
      RawHttpClient.Response open = RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=polling", null);
      assertEquals(200, open.status());
      String sid = sidOf(open.bodyText());
      assertEquals("io=" + sid + "; Path=/; HttpOnly; SameSite=Lax", open.header("Set-Cookie"));
      // the CONNECT and its answer: ordinary requests of the session, no cookie
      RawHttpClient.Response post = RawHttpClient.request(io.port(), "POST",
          "/socket.io/?EIO=4&transport=polling&sid=" + sid, "40");
      assertEquals(200, post.status());
      assertNull(post.header("Set-Cookie"));
      RawHttpClient.Response poll = RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=polling&sid=" + sid, null);
      assertTrue(poll.bodyText().startsWith("40{\"sid\""), poll.bodyText());
      assertNull(poll.header("Set-Cookie"));
      // an upgrade of that session is not a handshake either
      try (RawWebSocketClient ws = RawWebSocketClient.open(io.port(), "/socket.io/?EIO=4&transport=websocket&sid=" + sid)) {
        assertEquals(101, ws.handshake.status());
        assertNull(ws.handshake.header("Set-Cookie"));
      }
    }
  }

  @Test
  void aWebSocketHandshakeSetsTheCookieInItsSwitchingProtocolsAnswer() throws Exception {
    SessionCookie cookie = SessionCookie.DEFAULT.withName("sticky").withSecure(true);
    try (SocketIoServer io = server(cookie)) {
      io.onConnection(socket -> { });
      io.listen(0);
      try (RawWebSocketClient ws = RawWebSocketClient.open(io.port(), "/socket.io/?EIO=4&transport=websocket")) {
        assertEquals(101, ws.handshake.status());
        String sid = sidOf(ws.readText());
        assertEquals("sticky=" + sid + "; Path=/; HttpOnly; Secure; SameSite=Lax", ws.handshake.header("Set-Cookie"));
      }
    }
  }

  @Test
  void withoutTheOptionNoAnswerSetsACookie() throws Exception {
    try (SocketIoServer io = server(null)) {
      io.onConnection(socket -> { });
      io.listen(0);
      RawHttpClient.Response open = RawHttpClient.request(io.port(), "GET", "/socket.io/?EIO=4&transport=polling", null);
      assertEquals(200, open.status());
      assertNull(open.header("Set-Cookie"));
      try (RawWebSocketClient ws = RawWebSocketClient.open(io.port(), "/socket.io/?EIO=4&transport=websocket")) {
        assertEquals(101, ws.handshake.status());
        assertNull(ws.handshake.header("Set-Cookie"));
      }
    }
  }
}
