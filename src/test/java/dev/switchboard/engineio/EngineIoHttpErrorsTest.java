package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.RawHttpClient;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** engine.io-protocol §HTTP error codes, hostile-inputs.md group A: every bad request gets its answer. */
class EngineIoHttpErrorsTest {
  private static EngineIoTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new EngineIoTestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> badRequests() {
    String bigSid = "a".repeat(5000);
    return Stream.of(
        Arguments.of("A1 no EIO", "GET", "transport=polling", 400, 5),
        Arguments.of("A2 EIO=abc", "GET", "EIO=abc&transport=polling", 400, 5),
        Arguments.of("A2 EIO=3", "GET", "EIO=3&transport=polling", 400, 5),
        Arguments.of("A2 EIO=5", "GET", "EIO=5&transport=polling", 400, 5),
        Arguments.of("A2 EIO=4.0", "GET", "EIO=4.0&transport=polling", 400, 5),
        Arguments.of("A2 EIO=04", "GET", "EIO=04&transport=polling", 400, 5),
        Arguments.of("A2 EIO=%204", "GET", "EIO=%204&transport=polling", 400, 5),
        Arguments.of("A3 transport missing", "GET", "EIO=4", 400, 0),
        Arguments.of("A3 transport=abc", "GET", "EIO=4&transport=abc", 400, 0),
        Arguments.of("A3 transport=POLLING", "GET", "EIO=4&transport=POLLING", 400, 0),
        Arguments.of("A3 transport=websocket%20", "GET", "EIO=4&transport=websocket%20", 400, 0),
        Arguments.of("A3 transport=__proto__", "GET", "EIO=4&transport=__proto__", 400, 0),
        Arguments.of("A3 transport=constructor", "GET", "EIO=4&transport=constructor", 400, 0),
        Arguments.of("A3 transport=toString", "GET", "EIO=4&transport=toString", 400, 0),
        Arguments.of("A4 POST handshake", "POST", "EIO=4&transport=polling", 400, 2),
        Arguments.of("A4 PUT handshake", "PUT", "EIO=4&transport=polling", 400, 2),
        Arguments.of("A4 DELETE handshake", "DELETE", "EIO=4&transport=polling", 400, 2),
        Arguments.of("A4 PATCH handshake", "PATCH", "EIO=4&transport=polling", 400, 2),
        Arguments.of("A6 HEAD", "HEAD", "EIO=4&transport=polling", 400, 2),
        Arguments.of("A6 TRACE", "TRACE", "EIO=4&transport=polling", 400, 2),
        Arguments.of("A7 websocket without Upgrade", "GET", "EIO=4&transport=websocket", 400, 3),
        Arguments.of("A8 unknown sid", "GET", "EIO=4&transport=polling&sid=abcdefghijklmnopqrst", 400, 1),
        Arguments.of("A8 huge sid", "GET", "EIO=4&transport=polling&sid=" + bigSid, 400, 1),
        Arguments.of("A8 dotted sid", "GET", "EIO=4&transport=polling&sid=..%2F..", 400, 1),
        Arguments.of("A8 NUL sid", "GET", "EIO=4&transport=polling&sid=%00", 400, 1),
        Arguments.of("A8 unknown sid on POST", "POST", "EIO=4&transport=polling&sid=abcdefghijklmnopqrst", 400, 1),
        Arguments.of("A8 empty sid on POST", "POST", "EIO=4&transport=polling&sid=", 400, 2),
        Arguments.of("A9 two transports", "GET", "EIO=4&transport=polling&transport=websocket", 400, 3),
        Arguments.of("A9 two EIO", "GET", "EIO=4&EIO=3&transport=polling", 400, 3),
        Arguments.of("A9 two sids", "GET", "EIO=4&transport=polling&sid=a&sid=b", 400, 3),
        Arguments.of("A10 broken escape", "GET", "EIO=4&transport=polling&x=%zz", 400, 3),
        Arguments.of("A10 overlong UTF-8", "GET", "EIO=4&transport=polling&x=%C0%AF", 400, 3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void answersBadRequestWithSpecErrorCode(String name, String method, String query, int status, int code)
      throws Exception {
    int before = server.sessions();
    RawHttpClient.Response r = RawHttpClient.request(server.port(), method, EngineIoTestServer.PATH + "?" + query,
        method.equals("POST") || method.equals("PUT") || method.equals("PATCH") ? "4x" : null);
    assertEquals(status, r.status(), name);
    if (!method.equals("HEAD")) {
      assertEquals("application/json", r.header("Content-Type"));
      assertTrue(r.bodyText().startsWith("{\"code\":" + code + ",\"message\":\""), r.bodyText());
    }
    assertEquals(before, server.sessions(), "no session may be created");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherPaths")
  void answersOtherPathsWith404(String path) throws Exception {
    RawHttpClient.Response r = RawHttpClient.request(server.port(), "GET", path, null);
    assertEquals(404, r.status());
  }

  static Stream<String> otherPaths() {
    // hostile-inputs.md#A12: exact match, no normalisation.
    return Stream.of("/engine.io?EIO=4&transport=polling", "/engine.io//?EIO=4&transport=polling",
        "/ENGINE.IO/?EIO=4&transport=polling", "/engine.io/../login", "/engine.io/x?EIO=4&transport=polling");
  }

  @org.junit.jupiter.api.Test
  void emptySidOnGetStartsAHandshakeLikeNode() throws Exception {
    // hostile-inputs.md#A8: the reference treats an empty sid as none.
    RawHttpClient.Response r = server.get("EIO=4&transport=polling&sid=");
    assertEquals(200, r.status());
    assertTrue(r.bodyText().startsWith("0{\"sid\":\""));
  }

  @org.junit.jupiter.api.Test
  void ignoresJsonpParameters() throws Exception {
    // hostile-inputs.md#A29: j, b64 and callback mean nothing in v4.
    RawHttpClient.Response r = server.get("EIO=4&transport=polling&j=0&b64=1&callback=alert");
    assertEquals(200, r.status());
    assertTrue(r.bodyText().startsWith("0{"), r.bodyText());
    assertEquals("text/plain; charset=UTF-8", r.header("Content-Type"));
  }
}
