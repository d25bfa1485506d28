package dev.switchboard.engineio.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.engineio.protocol.EngineIoProtocol.ErrorCode;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineIoProtocolTest {

  // engine.io Server.errors / Server.errorMessages, and abortRequest's status choice.
  static Stream<Arguments> errorCodes() {
    return Stream.of(
        Arguments.of(ErrorCode.TRANSPORT_UNKNOWN, 0, 400, "{\"code\":0,\"message\":\"Transport unknown\"}"),
        Arguments.of(ErrorCode.SESSION_ID_UNKNOWN, 1, 400, "{\"code\":1,\"message\":\"Session ID unknown\"}"),
        Arguments.of(ErrorCode.BAD_HANDSHAKE_METHOD, 2, 400, "{\"code\":2,\"message\":\"Bad handshake method\"}"),
        Arguments.of(ErrorCode.BAD_REQUEST, 3, 400, "{\"code\":3,\"message\":\"Bad request\"}"),
        Arguments.of(ErrorCode.FORBIDDEN, 4, 403, "{\"code\":4,\"message\":\"Forbidden\"}"),
        Arguments.of(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, 5, 400, "{\"code\":5,\"message\":\"Unsupported protocol version\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCodes")
  void errorCodeMatchesEngineIo(ErrorCode error, int code, int status, String json) {
    assertEquals(code, error.code());
    assertEquals(status, error.httpStatus());
    assertEquals(json, error.toJson());
  }

  @Test
  void errorCodesAreInCodeOrder() {
    assertEquals(Arrays.asList(ErrorCode.values()), Arrays.stream(ErrorCode.values()).sorted((a, b) -> a.code() - b.code()).toList());
  }

  @Test
  void customErrorMessageIsEscaped() {
    assertEquals("{\"code\":4,\"message\":\"Origin \\\"x\\\" not allowed\"}", ErrorCode.FORBIDDEN.toJson("Origin \"x\" not allowed"));
  }

  static Stream<Arguments> transportNames() {
    return Stream.of(
        Arguments.of("polling", true),
        Arguments.of("websocket", true),
        // hostile-inputs.md#A3: exact match only, no prototype names.
        Arguments.of("POLLING", false),
        Arguments.of("websocket ", false),
        Arguments.of("__proto__", false),
        Arguments.of("constructor", false),
        Arguments.of("toString", false),
        Arguments.of("", false),
        Arguments.of(null, false));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("transportNames")
  void recognisesOnlyTheTwoTransports(String name, boolean known) {
    assertEquals(known, EngineIoProtocol.isTransport(name));
  }

  @Test
  void queryConstantsMatchTheSpec() {
    // §Query parameters
    assertEquals("EIO", EngineIoProtocol.QUERY_EIO);
    assertEquals("4", EngineIoProtocol.VERSION);
    assertEquals("transport", EngineIoProtocol.QUERY_TRANSPORT);
    assertEquals("sid", EngineIoProtocol.QUERY_SID);
    assertEquals("polling", EngineIoProtocol.TRANSPORT_POLLING);
    assertEquals("websocket", EngineIoProtocol.TRANSPORT_WEBSOCKET);
  }
}
