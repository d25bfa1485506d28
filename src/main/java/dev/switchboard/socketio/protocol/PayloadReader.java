package dev.switchboard.socketio.protocol;

import static dev.switchboard.socketio.protocol.SocketIoProtocolException.limitExceeded;
import static dev.switchboard.socketio.protocol.SocketIoProtocolException.malformed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.socketio.protocol.SocketIoProtocolException.Kind;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the JSON payload of one packet into a Jackson tree, with an explicit stack instead of
 * recursion and with the checks ObjectMapper.readTree cannot make: our own depth and number-length
 * limits, duplicate keys, non-finite and negative-zero numbers, lone surrogates, trailing tokens,
 * and binary placeholders recorded where they sit. Immutable and thread-safe; one per limits.
 */
final class PayloadReader {
  // Decoders are created per connection; share the factory (and its symbol tables) per config.
  // Bounded because limits come from configuration, of which a server has a handful.
  private static final int CACHE_CAPACITY = 16;
  private static final ConcurrentHashMap<SocketIoLimits, PayloadReader> CACHE = new ConcurrentHashMap<>();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final char REPLACEMENT_CHARACTER = '\uFFFD';
  /** Open containers a parse has room for before its stack grows. */
  private static final int INITIAL_STACK = 8;

  private final JsonFactory factory;
  private final int maxDepth;
  private final int maxNumberLength;

  private PayloadReader(SocketIoLimits limits) {
    this.maxDepth = limits.maxNestingDepth();
    this.maxNumberLength = limits.maxNumberLength();
    StreamReadConstraints constraints = StreamReadConstraints.builder()
        // Backstops only: our own checks below fire first, with our messages.
        .maxNestingDepth(limits.maxNestingDepth() + 1)
        .maxNumberLength(Integer.MAX_VALUE)
        .maxStringLength(limits.maxStringLength())
        .maxNameLength(limits.maxStringLength())
        .build();
    this.factory = new JsonFactoryBuilder()
        .streamReadConstraints(constraints)
        // Keys come from the peer: never put them in the JVM-wide intern pool.
        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
        .build();
  }

  static PayloadReader forLimits(SocketIoLimits limits) {
    PayloadReader cached = CACHE.get(limits);
    if (cached != null) return cached;
    if (CACHE.size() >= CACHE_CAPACITY) return new PayloadReader(limits);
    return CACHE.computeIfAbsent(limits, PayloadReader::new);
  }

  /**
   * Parses {@code text[from..]} as exactly one JSON value. With {@code pending} non-null (binary
   * packets) every object holding a {@code _placeholder} key is handed to it with its position.
   */
  JsonNode read(String text, int from, PendingBinaryPacket pending) throws SocketIoProtocolException {
    int length = text.length() - from;
    char[] chars = new char[length];
    text.getChars(from, text.length(), chars, 0);
    try (JsonParser parser = factory.createParser(chars, 0, length)) {
      JsonNode root = readValue(parser, pending);
      // hostile-inputs.md#D104: one packet is one JSON value; anything after it is junk.
      if (parser.nextToken() != null) throw malformed("Invalid JSON payload");
      return root;
    } catch (StreamConstraintsException e) {
      throw new SocketIoProtocolException(Kind.LIMIT_EXCEEDED, "JSON payload exceeds parser limits", e);
    } catch (JsonProcessingException e) {
      throw new SocketIoProtocolException(Kind.MALFORMED, "Invalid JSON payload", e);
    } catch (IOException e) {
      // Reading from a char[] does no I/O; Jackson declares it anyway.
      throw new SocketIoProtocolException(Kind.MALFORMED, "Invalid JSON payload", e);
    }
  }

  private JsonNode readValue(JsonParser parser, PendingBinaryPacket pending)
      throws IOException, SocketIoProtocolException {
    // stack[d] is the open container at depth d+1; names[d] is the key it sits under in stack[d-1].
    // Sized for real payloads (a few levels) and grown up to maxDepth only by deeper ones: two
    // arrays of maxDepth (64 by default) were a quarter of the bytes a small event cost to decode.
    ContainerNode<?>[] stack = new ContainerNode<?>[Math.min(maxDepth, INITIAL_STACK)];
    String[] names = new String[stack.length];
    int depth = 0;
    String name = null;
    JsonNode root = null;
    JsonToken token = parser.nextToken();
    while (true) {
      if (token == null) throw malformed("Invalid JSON payload");
      JsonNode value;
      switch (token) {
        case START_ARRAY, START_OBJECT -> {
          // hostile-inputs.md#D101: refuse depth before building it, so nothing downstream recurses deeply.
          if (depth == maxDepth) throw limitExceeded("JSON nesting too deep (max " + maxDepth + ")");
          if (depth == stack.length) {
            int grown = Math.min(maxDepth, depth * 2);
            stack = Arrays.copyOf(stack, grown);
            names = Arrays.copyOf(names, grown);
          }
          ContainerNode<?> container = token == JsonToken.START_ARRAY ? NODES.arrayNode() : NODES.objectNode();
          if (depth == 0) root = container;
          else attach(stack[depth - 1], name, container);
          names[depth] = name;
          stack[depth++] = container;
          name = null;
          token = parser.nextToken();
          continue;
        }
        case END_ARRAY, END_OBJECT -> {
          ContainerNode<?> closed = stack[--depth];
          stack[depth] = null;
          // A top-level object is never a placeholder: binary payloads must be arrays, which the
          // shape check reports with a clearer message.
          if (pending != null && depth > 0 && closed.isObject()
              && closed.has(SocketIoProtocol.PLACEHOLDER_KEY)) {
            pending.claim((ObjectNode) closed, stack[depth - 1], names[depth]);
          }
          if (depth == 0) return root;
          token = parser.nextToken();
          continue;
        }
        case FIELD_NAME -> {
          name = withoutLoneSurrogates(parser.currentName());
          token = parser.nextToken();
          continue;
        }
        case VALUE_STRING -> value = NODES.textNode(withoutLoneSurrogates(parser.getText()));
        case VALUE_NUMBER_INT -> value = integer(parser);
        case VALUE_NUMBER_FLOAT -> value = floatingPoint(parser);
        case VALUE_TRUE -> value = NODES.booleanNode(true);
        case VALUE_FALSE -> value = NODES.booleanNode(false);
        case VALUE_NULL -> value = NODES.nullNode();
        default -> throw malformed("Invalid JSON payload");
      }
      if (depth == 0) return value;
      attach(stack[depth - 1], name, value);
      name = null;
      token = parser.nextToken();
    }
  }

  private static void attach(ContainerNode<?> parent, String name, JsonNode child) throws SocketIoProtocolException {
    if (parent.isArray()) {
      ((ArrayNode) parent).add(child);
    } else if (((ObjectNode) parent).replace(name, child) != null) {
      // JSON.parse keeps the last duplicate, other parsers the first; refusing them means a
      // relay can never forward a payload that two parsers read differently (hostile-inputs.md#D103).
      throw malformed("Duplicate key in JSON object");
    }
  }

  private JsonNode integer(JsonParser parser) throws IOException, SocketIoProtocolException {
    int length = parser.getTextLength();
    // hostile-inputs.md#D102: bound the digits before Jackson converts them (BigInteger is quadratic).
    if (length > maxNumberLength) throw limitExceeded("JSON number too long (max " + maxNumberLength + ")");
    if (length == 2 && parser.getTextCharacters()[parser.getTextOffset()] == '-' && parser.getIntValue() == 0) {
      // hostile-inputs.md#D102: JSON.stringify never writes -0, and Java ints cannot keep its sign.
      throw malformed("Invalid JSON number");
    }
    return switch (parser.getNumberType()) {
      case INT -> NODES.numberNode(parser.getIntValue());
      case LONG -> NODES.numberNode(parser.getLongValue());
      default -> NODES.numberNode(parser.getBigIntegerValue());
    };
  }

  private JsonNode floatingPoint(JsonParser parser) throws IOException, SocketIoProtocolException {
    if (parser.getTextLength() > maxNumberLength) {
      throw limitExceeded("JSON number too long (max " + maxNumberLength + ")");
    }
    double d = parser.getDoubleValue();
    // hostile-inputs.md#D102: 1e999999999 overflows to Infinity, which JSON cannot re-encode; -0.0 is
    // refused like -0.
    if (!Double.isFinite(d) || Double.doubleToRawLongBits(d) == Long.MIN_VALUE) {
      throw malformed("Invalid JSON number");
    }
    return NODES.numberNode(d);
  }

  /**
   * hostile-inputs.md#D103: JSON escapes can encode a lone surrogate ("\ud800"), which has no UTF-8
   * form. Replacing it with U+FFFD, as WHATWG TextDecoder does, keeps the packet (browsers' JSON.
   * stringify emits such escapes for broken emoji) and makes every re-encoded string valid UTF-8.
   */
  static String withoutLoneSurrogates(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (Character.isSurrogate(s.charAt(i))) return replaceLoneSurrogates(s, i);
    }
    return s;
  }

  private static String replaceLoneSurrogates(String s, int first) {
    int n = s.length();
    StringBuilder out = new StringBuilder(n).append(s, 0, first);
    for (int i = first; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? REPLACEMENT_CHARACTER : c);
      }
    }
    return out.toString();
  }
}
