package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Redis harness itself: it serves, stops, comes back on the same port, and needs a password when told. */
class RedisServerTest {

  private static String ask(int port, String command) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(2000);
      s.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      byte[] buf = new byte[256];
      int n = in.read(buf);
      return new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII).strip();
    }
  }

  @Test
  void stopsAndComesBackOnTheSamePortEmpty() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      int port = redis.port();
      assertEquals("redis://127.0.0.1:" + port, redis.url());
      assertEquals("+OK", ask(port, "SET k v"));
      assertTrue(ask(port, "INFO server").contains("redis_version:7"), "Redis 7, for sharded pub/sub");

      redis.stop();
      assertFalse(redis.running());
      assertThrows(IOException.class, () -> ask(port, "PING"));

      redis.restart();
      assertEquals(port, redis.port());
      assertEquals("+PONG", ask(port, "PING"));
      assertEquals("$-1", ask(port, "GET k"), "nothing persisted across the restart");

      redis.kill();
      assertThrows(IOException.class, () -> ask(port, "PING"));
      redis.restart();
      assertEquals("+PONG", ask(port, "PING"));
    }
  }

  @Test
  void extraArgumentsReachTheServer() throws Exception {
    try (RedisServer redis = RedisServer.start("--requirepass", "s3cret")) {
      assertTrue(ask(redis.port(), "PING").startsWith("-NOAUTH"));
    }
  }
}
