package dev.switchboard.cluster.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reading the small JSON messages other nodes publish on our own channels (the chat's session
 * revocations and presence): a peer is not trusted to be well formed, and what was wrong is said
 * in our words, never by quoting the input (which may hold anything, a token included).
 *
 * <pre>{@code
 * JsonNode m = PeerMessage.parse(bytes);       // IOException "not JSON"
 * String node = PeerMessage.text(m, "node");   // IOException "node must be a string", ...
 * }</pre>
 *
 * <p>Threading: stateless, any thread.
 */
public final class PeerMessage {
  /** The longest text field a peer's message may carry. */
  public static final int MAX_FIELD_CHARS = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private PeerMessage() {}

  /** The message as JSON; {@code IOException("not JSON")} otherwise (Jackson's own message quotes the input). */
  public static JsonNode parse(byte[] message) throws IOException {
    try {
      return JSON.readTree(message);
    } catch (JsonProcessingException e) {
      throw new IOException("not JSON");
    }
  }

  /** The string {@code field} of {@code m}, 1 to {@link #MAX_FIELD_CHARS} characters; IOException naming the field otherwise. */
  public static String text(JsonNode m, String field) throws IOException {
    JsonNode v = m.get(field);
    if (v == null || !v.isTextual()) throw new IOException(field + " must be a string");
    String s = v.asText();
    if (s.isEmpty() || s.length() > MAX_FIELD_CHARS) throw new IOException(field + " must be 1 to " + MAX_FIELD_CHARS + " characters");
    return s;
  }
}
