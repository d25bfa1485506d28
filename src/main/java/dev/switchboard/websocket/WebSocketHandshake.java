package dev.switchboard.websocket;

import dev.switchboard.http.HttpHeaders;
import dev.switchboard.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The server side of the opening handshake (RFC 6455 §4.2). We select no subprotocol: the
 * {@code Sec-WebSocket-Protocol} offer is never read, and the 101 names none (§4.2.2 lets a server
 * select none). The only extension is permessage-deflate (RFC 7692), negotiated by
 * {@link PerMessageDeflate#negotiate} when the caller turned it on (off by default, as in Node's
 * engine.io); its answer goes in {@link #response101(String, String)}.
 *
 * <pre>{@code
 * if (WebSocketHandshake.isUpgradeRequest(request)) {
 *   try {
 *     write(WebSocketHandshake.response101(WebSocketHandshake.validate(request)));
 *   } catch (WebSocketHandshakeException e) {
 *     writeError(e.status(), e.extraHeaders(), e.getMessage());
 *   }
 * }
 * }</pre>
 */
public final class WebSocketHandshake {
  private WebSocketHandshake() {}

  /** §4.2.1 item 6: the only version this server speaks. */
  static final String VERSION = "13";
  /** 16 bytes in base64: 22 symbols and two '=' pads (§4.1 item 7). */
  private static final int KEY_LENGTH = 24;
  /** The base64 SHA-1 digest: 20 bytes, 27 symbols and one '=' pad. */
  private static final int ACCEPT_LENGTH = 28;

  /** Whether the request asks for a protocol switch of any kind; {@link #validate} then decides. */
  public static boolean isUpgradeRequest(HttpRequest r) {
    return r.headers().contains("Upgrade");
  }

  /**
   * Checks a client's opening handshake (§4.2.1) and returns the {@code Sec-WebSocket-Accept}
   * value for the 101 (§4.2.2).
   *
   * @throws WebSocketHandshakeException 426 with {@code Sec-WebSocket-Version: 13} for a missing
   *     or other version; 400 for everything else
   */
  public static String validate(HttpRequest r) throws WebSocketHandshakeException {
    HttpHeaders h = r.headers();
    // RFC 6455 §4.2.1 item 1: an HTTP/1.1 GET request.
    if (!"GET".equals(r.method())) throw badRequest("WebSocket upgrade must use GET");
    if (!r.isHttp11()) throw badRequest("WebSocket upgrade must use HTTP/1.1");
    // §4.2.1 items 3 and 4: token lists, compared ignoring ASCII case.
    if (!h.hasToken("Upgrade", "websocket")) throw badRequest("Upgrade header does not contain websocket");
    if (!h.hasToken("Connection", "Upgrade")) throw badRequest("Connection header does not contain Upgrade");
    // §4.2.1 item 5 and §11.3.1: one Sec-WebSocket-Key, the base64 of 16 bytes.
    int keys = h.count("Sec-WebSocket-Key");
    if (keys == 0) throw badRequest("Missing Sec-WebSocket-Key");
    if (keys > 1) throw badRequest("Sec-WebSocket-Key sent more than once");
    String key = h.first("Sec-WebSocket-Key").trim();
    if (!isBase64Of16Bytes(key)) throw badRequest("Invalid Sec-WebSocket-Key");
    // §4.2.2 step 4: an unsupported version gets a 426 naming the versions we speak.
    String version = h.first("Sec-WebSocket-Version");
    if (h.count("Sec-WebSocket-Version") != 1 || !VERSION.equals(version.trim())) {
      throw new WebSocketHandshakeException(426, "Unsupported Sec-WebSocket-Version", List.of("Sec-WebSocket-Version", VERSION));
    }
    return acceptKey(key);
  }

  /**
   * §4.2.2 step 5.4: base64 of the SHA-1 of the key followed by the protocol GUID.
   *
   * <pre>{@code acceptKey("dGhlIHNhbXBsZSBub25jZQ==").equals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") // §1.3}</pre>
   */
  public static String acceptKey(String key) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
    byte[] digest = sha1.digest((key + WebSocketProtocol.ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encodeToString(digest);
  }

  /**
   * The complete 101 response (§4.2.2 step 5), ready to write before the first frame.
   *
   * @throws IllegalArgumentException if {@code accept} is not a base64 SHA-1 digest, so that no
   *     caller can inject header lines through it
   */
  public static byte[] response101(String accept) {
    return response101(accept, null);
  }

  /**
   * The 101 with a {@code Sec-WebSocket-Extensions} line naming the accepted extension (RFC 6455
   * §4.2.2 step 5.5, §9.1), e.g. {@link PerMessageDeflate#extensionHeader()}; none if
   * {@code extensions} is null.
   *
   * @throws IllegalArgumentException if {@code accept} is not a base64 SHA-1 digest, or
   *     {@code extensions} holds a control character
   */
  public static byte[] response101(String accept, String extensions) {
    return response101(accept, extensions, null);
  }

  /**
   * As {@link #response101(String, String)}, with a {@code Set-Cookie} line when {@code setCookie}
   * is not null (Engine.IO's session cookie on a WebSocket handshake).
   *
   * @throws IllegalArgumentException also if {@code setCookie} holds a control character
   */
  public static byte[] response101(String accept, String extensions, String setCookie) {
    checkFieldValue(setCookie, "Set-Cookie");
    if (accept.length() != ACCEPT_LENGTH || accept.charAt(ACCEPT_LENGTH - 1) != '=' || !isBase64(accept, 0, ACCEPT_LENGTH - 1)) {
      throw new IllegalArgumentException("Not a Sec-WebSocket-Accept value: " + accept);
    }
    checkFieldValue(extensions, "Sec-WebSocket-Extensions");
    String response = "HTTP/1.1 101 Switching Protocols\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept + "\r\n"
        + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
        + (setCookie == null ? "" : "Set-Cookie: " + setCookie + "\r\n")
        + "\r\n";
    return response.getBytes(StandardCharsets.US_ASCII);
  }

  /** A header value we write must not hold a control character (it could end the line): null passes. */
  private static void checkFieldValue(String value, String name) {
    if (value == null) return;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7F) throw new IllegalArgumentException("Not a " + name + " value");
    }
  }

  /**
   * Exactly 22 base64 symbols and "==". The 4 unused bits of the last symbol are not checked
   * (RFC 4648 §3.5 lets a decoder accept them, and ws does too): the key is only hashed, never
   * decoded.
   */
  private static boolean isBase64Of16Bytes(String key) {
    return key.length() == KEY_LENGTH
        && key.charAt(KEY_LENGTH - 2) == '='
        && key.charAt(KEY_LENGTH - 1) == '='
        && isBase64(key, 0, KEY_LENGTH - 2);
  }

  private static boolean isBase64(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
      if (!ok) return false;
    }
    return true;
  }

  private static WebSocketHandshakeException badRequest(String message) {
    return new WebSocketHandshakeException(400, message);
  }
}
