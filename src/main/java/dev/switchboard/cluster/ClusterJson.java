package dev.switchboard.cluster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * JSON between Jackson trees and bytes, exactly as a Node peer's {@code JSON.stringify} writes it
 * and as its {@code JSON.parse} reads it: the other encoding of the Redis adapters' messages (the
 * classic adapter's requests and responses, the sharded adapter's messages without binary, the
 * streams adapter's {@code data} field). Pure and thread-safe, like {@link NotepackCodec}, whose
 * limits it shares.
 *
 * <pre>{@code
 * ClusterJson json = new ClusterJson();                       // NotepackCodec's default limits
 * byte[] wire = json.encode(tree);                            // JSON.stringify(value), UTF-8
 * JsonNode back = json.decode(wire);                          // ClusterMessageException if bad
 * }</pre>
 *
 * <p>Writing follows ECMAScript's JSON.stringify (ECMA-262 §25.5.2) for the JavaScript value the
 * tree stands for:
 *
 * <ul>
 *   <li>numbers as {@code Number.prototype.toString} prints the double JavaScript would hold: the
 *       shortest digits that read back to it ({@code 0.1}, {@code 1e+21}, {@code 5e-7},
 *       {@code 1152921504606847000} for 2^60); NaN and ±Infinity as {@code null}, −0 as {@code 0};
 *   <li>strings with only {@code "} {@code \} and the control characters escaped ({@code \b \t \n
 *       \f \r}, others as lower-case {@code \}{@code u00xx}), a lone surrogate as its escape, and
 *       everything else (U+007F, U+2028, non-ASCII) as UTF-8;
 *   <li>binary ({@link BinaryNode}) as a Node {@code Buffer} stringifies itself: {@code
 *       {"type":"Buffer","data":[1,2]}} — what a Node peer sends when binary travels as JSON;
 *   <li>a property holding {@link com.fasterxml.jackson.databind.node.MissingNode} (undefined) is
 *       left out, and {@code null} stands for it in an array; keys in the tree's order (JavaScript
 *       would move integer-like keys first: the only difference, and no message has them).
 * </ul>
 *
 * <p>Reading gives what JSON.parse gives, as a tree: integers within 64 bits as {@link IntNode} /
 * {@link LongNode} (exact, where JavaScript would round beyond 2^53), longer ones as {@link
 * BigIntegerNode}, fractions as {@link DoubleNode}; a duplicate key keeps its first place and its
 * last value; invalid UTF-8 and lone surrogate escapes become U+FFFD (as for MessagePack strings).
 * Hostile input fails with a {@link ClusterMessageException} naming the character offset, never
 * the payload: malformed JSON, trailing data, nesting beyond {@code maxDepth} (checked before the
 * container is built), more than {@code maxElements} elements, more than {@code maxBytes} bytes, a
 * number of more than 100 characters.
 */
public final class ClusterJson {
  /** Characters of one number: JSON.stringify never writes more than ~25; longer only buys work. */
  static final int MAX_NUMBER_LENGTH = 100;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
  private static final double TWO_53 = 0x1p53;

  private final int maxBytes;
  private final int maxDepth;
  private final int maxElements;
  private final JsonFactory factory;

  /** JSON with {@link NotepackCodec}'s default limits. */
  public ClusterJson() {
    this(NotepackCodec.DEFAULT_MAX_BYTES, NotepackCodec.DEFAULT_MAX_DEPTH, NotepackCodec.DEFAULT_MAX_ELEMENTS);
  }

  private ClusterJson(int maxBytes, int maxDepth, int maxElements) {
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    this.maxElements = maxElements;
    StreamReadConstraints constraints = StreamReadConstraints.builder()
        // Backstops only: our own checks fire first, with our messages.
        .maxNestingDepth(maxDepth + 1)
        .maxNumberLength(MAX_NUMBER_LENGTH + 1)
        .maxStringLength(Math.max(maxBytes, 1))
        .maxNameLength(Math.max(maxBytes, 1))
        .build();
    this.factory = new JsonFactoryBuilder()
        .streamReadConstraints(constraints)
        // Keys come from another node: never put them in the JVM-wide intern pool.
        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
        .build();
  }

  /** JSON with the same limits as {@code codec} (bytes, depth, elements per message). */
  public static ClusterJson withLimitsOf(NotepackCodec codec) {
    return new ClusterJson(codec.maxBytes(), codec.maxDepth(), codec.maxElements());
  }

  /** Limit on the bytes of one message. */
  public int maxBytes() {
    return maxBytes;
  }

  /** Limit on the nesting of one message. */
  public int maxDepth() {
    return maxDepth;
  }

  /** Limit on the array elements plus object entries of one message. */
  public int maxElements() {
    return maxElements;
  }

  // ---------------------------------------------------------------------------------------- encode

  /**
   * The UTF-8 bytes of {@code JSON.stringify(value)} for the JavaScript value this tree stands for.
   *
   * @throws ClusterMessageException if the tree nests deeper than {@link #maxDepth()}, holds more
   *     than {@link #maxElements()} elements, encodes to more than {@link #maxBytes()}, or holds a
   *     value with no JSON form (a {@link POJONode} other than {@code byte[]})
   */
  public byte[] encode(JsonNode value) {
    StringBuilder out = new StringBuilder(64);
    int[] elements = {0};
    write(out, value, 1, elements);
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8); // no lone surrogate is left unescaped
    if (bytes.length > maxBytes) {
      throw new ClusterMessageException("cannot encode: " + bytes.length + " bytes exceed maxBytes " + maxBytes);
    }
    return bytes;
  }

  private void write(StringBuilder out, JsonNode node, int depth, int[] elements) {
    switch (node.getNodeType()) {
      case NULL, MISSING -> out.append("null");
      case BOOLEAN -> out.append(node.booleanValue());
      case NUMBER -> writeNumber(out, node);
      case STRING -> writeString(out, node.textValue());
      case BINARY -> writeBuffer(out, ((BinaryNode) node).binaryValue(), depth, elements);
      case ARRAY -> {
        enter(depth, elements, node.size());
        out.append('[');
        boolean first = true;
        for (JsonNode element : node) {
          if (!first) out.append(',');
          first = false;
          write(out, element, depth + 1, elements);
        }
        out.append(']');
      }
      case OBJECT -> {
        enter(depth, elements, node.size());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          if (e.getValue().isMissingNode()) continue; // undefined: JSON.stringify leaves it out
          if (!first) out.append(',');
          first = false;
          writeString(out, e.getKey());
          out.append(':');
          write(out, e.getValue(), depth + 1, elements);
        }
        out.append('}');
      }
      case POJO -> {
        Object pojo = ((POJONode) node).getPojo();
        if (!(pojo instanceof byte[] bytes)) {
          throw new ClusterMessageException("cannot encode a POJONode holding "
              + (pojo == null ? "null" : pojo.getClass().getName()) + ": only JSON values and binary have a wire form");
        }
        writeBuffer(out, bytes, depth, elements);
      }
    }
  }

  /** Buffer.prototype.toJSON: {"type":"Buffer","data":[bytes]}. */
  private void writeBuffer(StringBuilder out, byte[] bytes, int depth, int[] elements) {
    enter(depth, elements, 2);
    enter(depth + 1, elements, bytes.length);
    out.append("{\"type\":\"Buffer\",\"data\":[");
    for (int i = 0; i < bytes.length; i++) {
      if (i > 0) out.append(',');
      out.append(bytes[i] & 0xff);
    }
    out.append("]}");
  }

  private void enter(int depth, int[] elements, int count) {
    if (depth > maxDepth) {
      throw new ClusterMessageException("cannot encode: nesting deeper than maxDepth " + maxDepth);
    }
    elements[0] += count;
    if (elements[0] > maxElements || elements[0] < 0) {
      throw new ClusterMessageException("cannot encode: more than maxElements " + maxElements + " elements");
    }
  }

  private static void writeNumber(StringBuilder out, JsonNode node) {
    if (node.canConvertToLong() && node.isIntegralNumber()) {
      long v = node.longValue();
      if (v >= -(1L << 53) && v <= 1L << 53) {
        out.append(v); // exact: every integer up to 2^53 is its own shortest form
        return;
      }
    }
    out.append(numberToString(node.doubleValue()));
  }

  /**
   * ECMA-262 §6.1.6.1.20 Number::toString(x) in radix 10, as JSON.stringify uses it (§25.5.2.3:
   * non-finite numbers are "null"). The digits are the fewest that read back to {@code x}, the
   * closest to it when several do: rounding to p significant digits gives the closest p-digit
   * decimal, so the first p whose rounding reads back is the answer.
   */
  static String numberToString(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) return "null";
    if (x == 0) return "0"; // -0 too
    if (x == Math.rint(x) && Math.abs(x) <= TWO_53) return Long.toString((long) x);
    StringBuilder out = new StringBuilder(24);
    if (x < 0) {
      out.append('-');
      x = -x;
    }
    BigDecimal exact = new BigDecimal(x);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal rounded = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == x) {
        shortest = rounded;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale(); // x = 0.digits × 10^n
    if (k <= n && n <= 21) {
      out.append(digits);
      for (int i = k; i < n; i++) out.append('0');
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (int i = n; i < 0; i++) out.append('0');
      out.append(digits);
    } else {
      int e = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) out.append('.').append(digits, 1, k);
      out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
    }
    return out.toString();
  }

  /** ECMA-262 §25.5.2.3 QuoteJSONString. */
  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            unicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(out, c); // a lone surrogate (ES2019 well-formed JSON.stringify)
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    out.append("\\u").append(HEX_DIGITS[c >> 12]).append(HEX_DIGITS[c >> 8 & 0xf])
        .append(HEX_DIGITS[c >> 4 & 0xf]).append(HEX_DIGITS[c & 0xf]);
  }

  // ---------------------------------------------------------------------------------------- decode

  /**
   * The tree JSON.parse would give for these UTF-8 bytes.
   *
   * @throws ClusterMessageException if the bytes are not exactly one JSON value, or exceed a limit
   */
  public JsonNode decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * The tree for the JSON in {@code bytes[offset, offset + length)}.
   *
   * @throws ClusterMessageException as {@link #decode(byte[])}
   */
  public JsonNode decode(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + bytes.length);
    }
    if (length > maxBytes) {
      throw new ClusterMessageException("message of " + length + " bytes exceeds maxBytes " + maxBytes);
    }
    // Node reads the message with Buffer.toString(): invalid UTF-8 becomes U+FFFD, as here.
    return decode(new String(bytes, offset, length, StandardCharsets.UTF_8));
  }

  /**
   * The tree for JSON text (for the streams adapter's {@code data} field, which Redis hands over
   * as a string).
   *
   * @throws ClusterMessageException as {@link #decode(byte[])}
   */
  public JsonNode decode(String text) {
    if (text.length() > maxBytes) {
      throw new ClusterMessageException("message of " + text.length() + " characters exceeds maxBytes " + maxBytes);
    }
    char[] chars = text.toCharArray();
    try (JsonParser parser = factory.createParser(chars, 0, chars.length)) {
      JsonNode root = readValue(parser);
      if (parser.nextToken() != null) {
        throw new ClusterMessageException("trailing data after the JSON value, at character " + offsetOf(parser));
      }
      return root;
    } catch (StreamConstraintsException e) {
      throw new ClusterMessageException("JSON exceeds the parser's limits", e);
    } catch (JsonProcessingException e) {
      throw new ClusterMessageException("malformed JSON at character "
          + (e.getLocation() == null ? "?" : e.getLocation().getCharOffset()), e);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory JSON parser failed", e); // no I/O happens
    }
  }

  private static long offsetOf(JsonParser parser) {
    return parser.currentTokenLocation().getCharOffset();
  }

  /** Builds the tree with an explicit stack, checking depth before each container is made. */
  private JsonNode readValue(JsonParser parser) throws IOException {
    ContainerNode<?>[] stack = new ContainerNode<?>[Math.min(maxDepth, 64)];
    int depth = 0;
    int elements = 0;
    String name = null;
    JsonNode root = null;
    JsonToken token = parser.nextToken();
    if (token == null) throw new ClusterMessageException("empty message: no JSON value");
    while (true) {
      if (token == null) throw new ClusterMessageException("truncated JSON: the input ends inside a value");
      JsonNode value;
      switch (token) {
        case START_ARRAY, START_OBJECT -> {
          if (depth == maxDepth) {
            throw new ClusterMessageException("JSON nests deeper than maxDepth " + maxDepth + " at character "
                + offsetOf(parser));
          }
          ContainerNode<?> container = token == JsonToken.START_ARRAY ? NODES.arrayNode() : NODES.objectNode();
          if (depth > 0 && ++elements > maxElements) throw tooManyElements(parser);
          if (depth == 0) root = container;
          else attach(stack[depth - 1], name, container);
          if (depth == stack.length) stack = Arrays.copyOf(stack, Math.min(maxDepth, stack.length * 2));
          stack[depth++] = container;
          name = null;
          token = parser.nextToken();
          continue;
        }
        case END_ARRAY, END_OBJECT -> {
          stack[--depth] = null;
          if (depth == 0) return root;
          token = parser.nextToken();
          continue;
        }
        case FIELD_NAME -> {
          name = withoutLoneSurrogates(parser.currentName());
          token = parser.nextToken();
          continue;
        }
        case VALUE_STRING -> value = TextNode.valueOf(withoutLoneSurrogates(parser.getText()));
        case VALUE_NUMBER_INT -> value = integer(parser);
        case VALUE_NUMBER_FLOAT -> {
          checkNumberLength(parser);
          value = DoubleNode.valueOf(parser.getDoubleValue());
        }
        case VALUE_TRUE -> value = BooleanNode.TRUE;
        case VALUE_FALSE -> value = BooleanNode.FALSE;
        case VALUE_NULL -> value = NullNode.getInstance();
        default -> throw new ClusterMessageException("unexpected JSON token at character " + offsetOf(parser));
      }
      if (depth == 0) return value;
      if (++elements > maxElements) throw tooManyElements(parser);
      attach(stack[depth - 1], name, value);
      name = null;
      token = parser.nextToken();
    }
  }

  private ClusterMessageException tooManyElements(JsonParser parser) {
    return new ClusterMessageException("JSON brings the message over maxElements " + maxElements + " at character "
        + offsetOf(parser));
  }

  private static void attach(ContainerNode<?> parent, String name, JsonNode child) {
    if (parent.isArray()) ((ArrayNode) parent).add(child);
    else ((ObjectNode) parent).set(name, child); // JSON.parse: the last duplicate wins, in the first's place
  }

  private static void checkNumberLength(JsonParser parser) throws IOException {
    if (parser.getTextLength() > MAX_NUMBER_LENGTH) {
      throw new ClusterMessageException("JSON number of more than " + MAX_NUMBER_LENGTH + " characters at character "
          + offsetOf(parser));
    }
  }

  private static JsonNode integer(JsonParser parser) throws IOException {
    checkNumberLength(parser);
    return switch (parser.getNumberType()) {
      case INT -> IntNode.valueOf(parser.getIntValue());
      case LONG -> LongNode.valueOf(parser.getLongValue());
      default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
    };
  }

  /** A lone surrogate (only an escape can make one) becomes U+FFFD, as invalid UTF-8 does. */
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
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }
}
