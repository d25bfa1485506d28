package dev.switchboard.socketio.protocol;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes packets for the wire (socket.io-protocol §Packet encoding). Stateless and thread-safe:
 * a broadcast encodes once and writes the same {@link Encoded} to every recipient.
 *
 * <pre>{@code
 * Encoded e = SocketIoEncoder.encode(SocketIoPacket.event("/admin", args));
 * transport.sendText("4" + e.text());                 // the Engine.IO layer adds "4"
 * for (byte[] a : e.attachments()) transport.sendBinary(a);
 * }</pre>
 *
 * <p>An EVENT or ACK whose data holds {@code BinaryNode}s goes out as BINARY_EVENT / BINARY_ACK,
 * each binary value replaced by {@code {"_placeholder":true,"num":N}} in document order and sent
 * as attachment N; BINARY_EVENT / BINARY_ACK given without binary data go out as EVENT / ACK (the
 * published parser refuses a zero attachment count).
 *
 * <p>Programmer errors (a payload the other side must refuse, nesting beyond {@link
 * #MAX_NESTING_DEPTH}) throw {@link IllegalArgumentException}.
 */
public final class SocketIoEncoder {
  /**
   * Deepest JSON the encoder writes, the payload itself being depth 1 and a binary value counting
   * as the placeholder object it becomes. hostile-inputs.md#D101: the
   * reference crashed re-emitting a 6 000-deep array; this cap is checked by an iterative walk
   * before Jackson's (recursive) serializer runs, so encoding never overflows the stack. Four times
   * the decoder's default depth, so a relayed argument always fits.
   */
  public static final int MAX_NESTING_DEPTH = 256;

  private static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
          .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
          .build())
      .build();

  private SocketIoEncoder() {}

  /**
   * The text message, then the attachments to send as binary messages, in order. {@code text} is
   * null when the packet travels in binary messages only: the MessagePack parser ({@link
   * SocketIoParser#MSGPACK}) sends each packet as one binary message, its single attachment.
   */
  public record Encoded(String text, List<byte[]> attachments) {
    public Encoded {
      attachments = List.copyOf(attachments);
      if (text == null && attachments.isEmpty()) throw new IllegalArgumentException("no message at all");
    }
  }

  /** Encodes one packet; see the class comment. The attachments are the BinaryNodes' own arrays. */
  public static Encoded encode(SocketIoPacket packet) {
    Objects.requireNonNull(packet, "packet");
    SocketIoPacketType type = packet.type();
    JsonNode data = packet.data();
    checkShape(type, data, packet.ackId());
    int binaries = countBinariesCheckingDepth(data);
    if (binaries > 0 && !type.carriesAckId()) {
      throw new IllegalArgumentException("Binary data is only allowed in EVENT and ACK packets");
    }
    if (binaries > SocketIoProtocol.CLIENT_MAX_ATTACHMENTS) {
      throw new IllegalArgumentException("Too many binary attachments: " + binaries + " > "
          + SocketIoProtocol.CLIENT_MAX_ATTACHMENTS);
    }
    SocketIoPacketType wireType = type;
    if (type.carriesAckId()) {
      wireType = type.isEvent()
          ? (binaries > 0 ? SocketIoPacketType.BINARY_EVENT : SocketIoPacketType.EVENT)
          : (binaries > 0 ? SocketIoPacketType.BINARY_ACK : SocketIoPacketType.ACK);
    }

    StringBuilder header = new StringBuilder(data == null || binaries > 0 ? 16 : 64).append(wireType.wire());
    if (binaries > 0) header.append(binaries).append('-');
    // socket.io-protocol §Format: namespace omitted when it is "/", else followed by ','.
    if (!SocketIoProtocol.MAIN_NAMESPACE.equals(packet.namespace())) header.append(packet.namespace()).append(',');
    // socket.io-protocol §Format: the ack id comes right after the namespace.
    if (packet.hasAckId()) header.append(packet.ackId());
    if (data == null) return new Encoded(header.toString(), List.of());

    try {
      if (binaries == 0) {
        // The common shapes (objects, arrays, strings, ints, booleans, null) are written straight
        // after the header, as Jackson would write them; anything else goes through Jackson.
        int headerLength = header.length();
        if (appendPlain(header, data)) return new Encoded(header.toString(), List.of());
        header.setLength(headerLength);
        return new Encoded(header.append(MAPPER.writeValueAsString(data)).toString(), List.of());
      }
      StringWriter out = new StringWriter(header.length() + 64).append(header);
      List<byte[]> attachments = new ArrayList<>(binaries);
      try (JsonGenerator generator = MAPPER.createGenerator(out)) {
        writeReplacingBinary(generator, data, attachments);
      }
      return new Encoded(out.toString(), attachments);
    } catch (IOException e) {
      // Writing to a String does no I/O.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends {@code node} as JSON (RFC 8259) when it is built of objects, arrays, strings, ints,
   * longs, booleans and nulls only, byte for byte what Jackson's default generator writes for it
   * (SocketIoEncoderTest compares the two); false, with part of it appended, at the first other
   * node (a double, a BigInteger, a POJO, binary), which the caller then hands to Jackson. Its
   * depth was checked by {@link #countBinariesCheckingDepth} (hostile-inputs.md#D101), so the
   * recursion is bounded by {@link #MAX_NESTING_DEPTH}. This skips what {@code ObjectMapper.writeValueAsString} costs per
   * call (a serializer provider, a generator and its writer, the serializer lookup by class) on
   * the path of every emit and ack.
   */
  private static boolean appendPlain(StringBuilder out, JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          if (!first) out.append(',');
          first = false;
          appendString(out, field.getKey());
          out.append(':');
          if (!appendPlain(out, field.getValue())) return false;
        }
        out.append('}');
        return true;
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0, n = node.size(); i < n; i++) {
          if (i > 0) out.append(',');
          if (!appendPlain(out, node.get(i))) return false;
        }
        out.append(']');
        return true;
      }
      case STRING -> {
        appendString(out, node.textValue());
        return true;
      }
      case NUMBER -> {
        if (node.isInt()) out.append(node.intValue());
        else if (node.isLong()) out.append(node.longValue());
        else return false;
        return true;
      }
      case BOOLEAN -> {
        out.append(node.booleanValue());
        return true;
      }
      case NULL -> {
        out.append("null");
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * A JSON string as Jackson writes it by default (RFC 8259 §7): quotation mark and reverse
   * solidus escaped with a reverse solidus, the control characters below U+0020 as the two-character
   * escapes b t n f r where JSON has them, else as six-character escapes with upper-case hex
   * digits; everything else as it is.
   */
  private static void appendString(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    int i = 0;
    while (i < n && needsNoEscape(s.charAt(i))) i++;
    if (i == n) {
      out.append(s).append('"'); // the usual case: one copy
      return;
    }
    int start = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (needsNoEscape(c)) continue;
      out.append(s, start, i);
      start = i + 1;
      out.append('\\');
      switch (c) {
        case '"', '\\' -> out.append(c);
        case '\b' -> out.append('b');
        case '\t' -> out.append('t');
        case '\n' -> out.append('n');
        case '\f' -> out.append('f');
        case '\r' -> out.append('r');
        default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    out.append(s, start, n).append('"');
  }

  private static boolean needsNoEscape(char c) {
    return c >= 0x20 && c != '"' && c != '\\';
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * The payload rules of socket.io-parser isPacketValid, so the peer never has to close on us.
   * Shared with the MessagePack encoder, whose parser checks the same shapes.
   */
  static void checkShape(SocketIoPacketType type, JsonNode data, long ackId) {
    // Digits after the namespace of a CONNECT would be read back as payload.
    if (ackId != SocketIoPacket.NO_ACK_ID && !type.carriesAckId()) {
      throw new IllegalArgumentException(type + " packets carry no ack id");
    }
    if (ackId > SocketIoProtocol.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("Ack id exceeds 2^53-1");
    }
    switch (type) {
      case CONNECT -> {
        if (data != null && !data.isObject()) throw new IllegalArgumentException("CONNECT data must be an object");
      }
      case DISCONNECT -> {
        if (data != null) throw new IllegalArgumentException("DISCONNECT carries no data");
      }
      case EVENT, BINARY_EVENT -> {
        if (data == null || !data.isArray() || data.isEmpty()) {
          throw new IllegalArgumentException("EVENT data must be a non-empty array");
        }
        JsonNode name = data.get(0);
        if (!name.isTextual() && !name.isNumber()) {
          throw new IllegalArgumentException("Event name must be a string or a number");
        }
        if (name.isTextual() && SocketIoProtocol.RESERVED_EVENT_NAMES.contains(name.textValue())) {
          throw new IllegalArgumentException("Reserved event name: " + name.textValue());
        }
      }
      case ACK, BINARY_ACK -> {
        if (data == null || !data.isArray()) throw new IllegalArgumentException("ACK data must be an array");
        if (ackId == SocketIoPacket.NO_ACK_ID) throw new IllegalArgumentException("ACK needs an ack id");
      }
      case CONNECT_ERROR -> {
        if (data == null || !(data.isObject() || data.isTextual())) {
          throw new IllegalArgumentException("CONNECT_ERROR data must be an object or a string");
        }
      }
    }
  }

  /** Iterative walk: counts BinaryNodes and refuses wire depth beyond the cap. */
  private static int countBinariesCheckingDepth(JsonNode data) {
    if (data == null || !data.isContainerNode()) return data != null && data.isBinary() ? 1 : 0;
    int binaries = 0;
    ArrayDeque<Iterator<JsonNode>> stack = new ArrayDeque<>();
    stack.push(data.values());
    while (!stack.isEmpty()) {
      Iterator<JsonNode> it = stack.peek();
      if (!it.hasNext()) {
        stack.pop();
        continue;
      }
      JsonNode child = it.next();
      boolean binary = child.isBinary();
      if (!binary && !child.isContainerNode()) continue;
      // A binary value goes on the wire as a placeholder object, one level deeper than itself.
      if (stack.size() == MAX_NESTING_DEPTH) {
        throw new IllegalArgumentException("Packet data nested deeper than " + MAX_NESTING_DEPTH + " levels");
      }
      if (binary) binaries++;
      else stack.push(child.values());
    }
    return binaries;
  }

  /**
   * Writes {@code root} with every BinaryNode replaced by a placeholder, without recursion
   * (socket.io-parser deconstructPacket, made iterative). Depth was checked by the caller.
   */
  private static void writeReplacingBinary(JsonGenerator generator, JsonNode root, List<byte[]> attachments)
      throws IOException {
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    startValue(generator, root, attachments, stack);
    while (!stack.isEmpty()) {
      Frame frame = stack.peek();
      if (frame.fields != null) {
        if (frame.fields.hasNext()) {
          Map.Entry<String, JsonNode> field = frame.fields.next();
          generator.writeFieldName(field.getKey());
          startValue(generator, field.getValue(), attachments, stack);
        } else {
          generator.writeEndObject();
          stack.pop();
        }
      } else if (frame.elements.hasNext()) {
        startValue(generator, frame.elements.next(), attachments, stack);
      } else {
        generator.writeEndArray();
        stack.pop();
      }
    }
  }

  private static void startValue(JsonGenerator generator, JsonNode node, List<byte[]> attachments, ArrayDeque<Frame> stack)
      throws IOException {
    if (node.isBinary()) {
      // socket.io-protocol §Examples: {"_placeholder":true,"num":N}, N counting from 0 in order.
      generator.writeStartObject();
      generator.writeBooleanField(SocketIoProtocol.PLACEHOLDER_KEY, true);
      generator.writeNumberField(SocketIoProtocol.PLACEHOLDER_NUM_KEY, attachments.size());
      generator.writeEndObject();
      attachments.add(node.binaryValue());
    } else if (node.isArray()) {
      generator.writeStartArray();
      stack.push(new Frame(null, node.values()));
    } else if (node.isObject()) {
      generator.writeStartObject();
      stack.push(new Frame(node.properties().iterator(), null));
    } else {
      generator.writeTree(node);
    }
  }

  /** One open container: exactly one of the two iterators is set. */
  private record Frame(Iterator<Map.Entry<String, JsonNode>> fields, Iterator<JsonNode> elements) {}
}
