package dev.switchboard.socketio.protocol;

import static dev.switchboard.socketio.protocol.SocketIoProtocolException.limitExceeded;
import static dev.switchboard.socketio.protocol.SocketIoProtocolException.malformed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * {@link SocketIoParser#MSGPACK}: the packets of npm {@code socket.io-msgpack-parser} 3.0.x. Each
 * packet is one MessagePack map in one binary Engine.IO message, written by {@code notepack.io}
 * 2.2 on the JavaScript side; there are no attachments and no BINARY_EVENT / BINARY_ACK types, a
 * binary value is a MessagePack {@code bin} inside {@code data}.
 *
 * <pre>{@code
 * byte[] wire = MsgpackParser.INSTANCE.encode(SocketIoPacket.event("/", args)).attachments().get(0);
 * // 83 a4 "type" 02  a4 "data" 92 a5 "hello" 01  a3 "nsp" a1 "/"   for args ["hello", 1]
 * PacketDecoder d = SocketIoParser.MSGPACK.newDecoder(SocketIoLimits.DEFAULTS);
 * SocketIoPacket p = d.add(wire);
 * }</pre>
 *
 * <p>The map's keys (spec-notes/socket-io-codec.md, "MessagePack parser"): {@code type} (0 to 4),
 * {@code nsp} (a string), {@code data} (absent for DISCONNECT and an auth-less CONNECT) and
 * {@code id} (the ack id, absent when none). The server writes them in the order Node's socket.io
 * does ({@code type, data, id, nsp}); the decoder takes them in any order and ignores other keys
 * (socket.io-client adds {@code options: {compress: true}}).
 *
 * <p>The decoder is not streaming: one binary message is one complete packet, so it is decoded
 * whole or refused. It refuses, as {@link SocketIoProtocolException} (the connection closes, as
 * after any packet the default parser refuses): a text message, an empty message, bytes that are
 * not exactly one MessagePack map (truncated, trailing bytes, the reserved byte 0xc1, another
 * root type), a type outside 0..4, a missing or non-string {@code nsp}, a {@code data} or {@code
 * id} of the wrong type for the packet type, a non-string or duplicate map key, an ext type
 * notepack 2.2 does not write, and anything over the {@link SocketIoLimits}. The payload rules
 * are those of the default parser ({@link SocketIoDecoder}); the JSON-only limits (number length)
 * do not apply, and binary values together are bounded by {@code maxAttachmentBytesTotal}.
 *
 * <p>Threading: the parser is stateless and thread-safe; each decoder belongs to one connection
 * and is called from its serial executor.
 */
public final class MsgpackParser implements SocketIoParser {
  /** The one instance, also {@link SocketIoParser#MSGPACK}. */
  public static final MsgpackParser INSTANCE = new MsgpackParser();

  /** A first buffer of 256 bytes instead of msgpack-core's 8 KiB: most packets are small. */
  private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig().withBufferSize(256);
  private static final ObjectMapper POJO_MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** notepack.io's undefined before its container decides what it means. */
  private static final JsonNode UNDEFINED = MissingNode.getInstance();
  // The four keys as fixstr, written as they are.
  private static final byte[] KEY_TYPE = fixstr("type");
  private static final byte[] KEY_DATA = fixstr("data");
  private static final byte[] KEY_ID = fixstr("id");
  private static final byte[] KEY_NSP = fixstr("nsp");
  private static final double TWO_63 = 0x1p63;
  private static final SocketIoPacketType[] TYPES = SocketIoPacketType.values();
  /** ECMAScript TimeClip: a Date beyond ±8.64e15 ms is invalid. */
  private static final double MAX_DATE_MS = 8.64e15;
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private MsgpackParser() {}

  @Override
  public String name() {
    return "msgpack";
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public PacketDecoder newDecoder(SocketIoLimits limits) {
    return new Decoder(limits, SocketIoDecoder.Sender.CLIENT);
  }

  /** A decoder for packets sent by {@code sender}; {@code Sender.SERVER} suits test clients. */
  public static PacketDecoder newDecoder(SocketIoLimits limits, SocketIoDecoder.Sender sender) {
    return new Decoder(limits, sender);
  }

  // ------------------------------------------------------------------------------------ encode

  /**
   * One binary message holding the packet's map: {@code text} is null and the single attachment
   * is the message. The payload rules are those of {@link SocketIoEncoder}; BINARY_EVENT and
   * BINARY_ACK are written as EVENT and ACK (socket.io-msgpack-parser knows types 0 to 4 only).
   *
   * @throws IllegalArgumentException as {@link SocketIoEncoder#encode}, or for nesting beyond
   *     {@link SocketIoEncoder#MAX_NESTING_DEPTH}
   */
  @Override
  public SocketIoEncoder.Encoded encode(SocketIoPacket packet) {
    Objects.requireNonNull(packet, "packet");
    SocketIoPacketType type = packet.type();
    JsonNode data = packet.data();
    SocketIoEncoder.checkShape(type, data, packet.ackId());
    int wireType = type.isEvent() ? 2 : type.isAck() ? 3 : type.ordinal();
    MessageBufferPacker p = PACKER.newBufferPacker();
    try {
      p.packMapHeader(2 + (data == null ? 0 : 1) + (packet.hasAckId() ? 1 : 0));
      p.writePayload(KEY_TYPE);
      p.packInt(wireType);
      if (data != null) {
        p.writePayload(KEY_DATA);
        write(p, data, 1);
      }
      if (packet.hasAckId()) {
        p.writePayload(KEY_ID);
        p.packLong(packet.ackId());
      }
      p.writePayload(KEY_NSP);
      writeString(p, packet.namespace());
      return new SocketIoEncoder.Encoded(null, List.of(p.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory packer does no I/O
    }
  }

  /** {@code depth}: of {@code node} if it is a container, the payload being 1 as in JSON. */
  private static void write(MessagePacker p, JsonNode node, int depth) throws IOException {
    switch (node.getNodeType()) {
      case NULL, MISSING -> p.packNil();
      case BOOLEAN -> p.packBoolean(node.booleanValue());
      case NUMBER -> writeNumber(p, node);
      case STRING -> writeString(p, node.textValue());
      case BINARY -> writeBinary(p, node.binaryValue());
      case ARRAY -> {
        checkDepth(depth);
        p.packArrayHeader(node.size());
        for (JsonNode element : node) write(p, element, depth + 1);
      }
      case OBJECT -> {
        checkDepth(depth);
        p.packMapHeader(node.size());
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          writeString(p, e.getKey());
          write(p, e.getValue(), depth + 1);
        }
      }
      case POJO -> {
        Object pojo = ((POJONode) node).getPojo();
        if (pojo instanceof byte[] bytes) writeBinary(p, bytes);
        else write(p, POJO_MAPPER.valueToTree(pojo), depth);
      }
    }
  }

  private static void checkDepth(int depth) {
    // The same cap as the JSON encoder (hostile-inputs.md#D101): a relayed payload always fits.
    if (depth > SocketIoEncoder.MAX_NESTING_DEPTH) {
      throw new IllegalArgumentException("Packet data nested deeper than " + SocketIoEncoder.MAX_NESTING_DEPTH + " levels");
    }
  }

  /**
   * notepack.io's number rule (lib/encode.js, {@code case 'number'}): an integral finite value in
   * the smallest integer format for its sign (msgpack-core's packLong picks the same: fixint,
   * uint 8/16/32/64, int 8/16/32/64), anything else float 64 — never float 32. Integral doubles
   * beyond ±2^63 are float 64 here, the same JavaScript number notepack's wrapped words decode to.
   */
  private static void writeNumber(MessagePacker p, JsonNode n) throws IOException {
    if (n.isIntegralNumber()) {
      if (n.canConvertToLong()) {
        p.packLong(n.longValue());
      } else {
        BigInteger v = n.bigIntegerValue();
        if (v.signum() > 0 && v.bitLength() <= 64) p.packBigInteger(v); // uint 64
        else p.packDouble(v.doubleValue());
      }
      return;
    }
    double d = n.doubleValue();
    if (d == Math.floor(d) && Math.abs(d) < TWO_63) p.packLong((long) d); // -0.0 → fixint 0, as notepack
    else p.packDouble(d); // fractions, NaN, ±Infinity, huge values
  }

  private static void writeString(MessagePacker p, String s) throws IOException {
    byte[] utf8 = utf8(s);
    p.packRawStringHeader(utf8.length); // fixstr / str 8 / str 16 / str 32, as notepack
    p.writePayload(utf8);
  }

  private static void writeBinary(MessagePacker p, byte[] bytes) throws IOException {
    p.packBinaryHeader(bytes.length); // bin 8 / 16 / 32: a Buffer in Node, an ArrayBuffer in browsers
    p.writePayload(bytes);
  }

  /**
   * UTF-8, each lone surrogate written as U+FFFD as Node's Buffer writes it ({@code
   * String.getBytes} would write '?').
   */
  static byte[] utf8(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (Character.isSurrogate(s.charAt(i))) return wellFormed(s).getBytes(StandardCharsets.UTF_8);
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String wellFormed(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else {
        b.append(Character.isSurrogate(c) ? '\ufffd' : c);
      }
    }
    return b.toString();
  }

  private static byte[] fixstr(String ascii) {
    byte[] out = new byte[ascii.length() + 1];
    out[0] = (byte) (0xa0 | ascii.length());
    for (int i = 0; i < ascii.length(); i++) out[i + 1] = (byte) ascii.charAt(i);
    return out;
  }

  // ------------------------------------------------------------------------------------ decode

  /**
   * The decoder of one connection: stateless between messages but for the corrupt flag.
   * Connection's serial executor only.
   */
  private static final class Decoder implements PacketDecoder {
    private final SocketIoLimits limits;
    private final SocketIoDecoder.Sender sender;
    private boolean corrupt;

    Decoder(SocketIoLimits limits, SocketIoDecoder.Sender sender) {
      this.limits = Objects.requireNonNull(limits, "limits");
      this.sender = Objects.requireNonNull(sender, "sender");
    }

    @Override
    public SocketIoPacket add(String text) throws SocketIoProtocolException {
      Objects.requireNonNull(text, "text");
      requireUsable();
      // socket.io-msgpack-parser encodes every packet to a binary message; Node's decoder throws
      // on a string and socket.io closes the connection with "parse error".
      corrupt = true;
      throw malformed("Text message, but the msgpack parser sends every packet as one binary message");
    }

    @Override
    public SocketIoPacket add(byte[] message) throws SocketIoProtocolException {
      Objects.requireNonNull(message, "message");
      requireUsable();
      try {
        return new Reader(message, limits).packet(sender);
      } catch (SocketIoProtocolException e) {
        corrupt = true;
        throw e;
      }
    }

    @Override
    public void reset() {
      corrupt = false;
    }

    private void requireUsable() {
      if (corrupt) throw new IllegalStateException("Decoder is corrupt");
    }
  }

  /** One message being decoded. */
  private static final class Reader {
    private final byte[] bytes;
    private final SocketIoLimits limits;
    private final MessageUnpacker in;
    private long binaryBytes;

    Reader(byte[] bytes, SocketIoLimits limits) {
      this.bytes = bytes;
      this.limits = limits;
      this.in = MessagePack.newDefaultUnpacker(bytes);
    }

    SocketIoPacket packet(SocketIoDecoder.Sender sender) throws SocketIoProtocolException {
      if (bytes.length == 0) throw malformed("Empty message");
      JsonNode type = null;
      JsonNode nsp = null;
      JsonNode data = null;
      JsonNode id = null;
      try {
        if (in.getNextFormat().getValueType() != ValueType.MAP) throw malformed("Packet is not a MessagePack map");
        int entries = in.unpackMapHeader();
        requireElements(entries, 2);
        int seen = 0; // a bit per known key: a duplicate must not mean two things
        for (int i = 0; i < entries; i++) {
          String key = key();
          int bit = switch (key) {
            case "type" -> 1;
            case "nsp" -> 2;
            case "data" -> 4;
            case "id" -> 8;
            default -> 0;
          };
          if ((seen & bit) != 0) throw malformed("Duplicate key in packet map");
          seen |= bit;
          // Other keys (socket.io-client's "options") are read, bounded like the rest, and dropped.
          JsonNode value = read(1);
          if (value == UNDEFINED) continue; // notepack 2.2 writes undefined properties (fixext 1)
          switch (bit) {
            case 1 -> type = value;
            case 2 -> nsp = value;
            case 4 -> data = value;
            case 8 -> id = value;
            default -> { }
          }
        }
        // notepack.io decode: the message must be exactly one value.
        if (in.getTotalReadBytes() != bytes.length) throw malformed("Trailing bytes after the packet");
      } catch (MessageInsufficientBufferException e) {
        throw malformed("Truncated MessagePack");
      } catch (MessagePackException e) {
        throw malformed("Invalid MessagePack");
      } catch (IOException e) {
        throw new UncheckedIOException(e); // an in-memory unpacker does no I/O
      }
      return validate(type, nsp, data, id, sender);
    }

    /** socket.io-msgpack-parser checkPacket, plus the default parser's rules on the same fields. */
    private SocketIoPacket validate(JsonNode typeNode, JsonNode nsp, JsonNode data, JsonNode id,
        SocketIoDecoder.Sender sender) throws SocketIoProtocolException {
      // checkPacket: an integer from CONNECT (0) to CONNECT_ERROR (4); no binary types.
      long t = integer(typeNode);
      if (t < 0 || t > 4) throw malformed("Invalid packet type");
      SocketIoPacketType type = TYPES[(int) t];
      if (type == SocketIoPacketType.CONNECT_ERROR && sender == SocketIoDecoder.Sender.CLIENT) {
        throw malformed("CONNECT_ERROR is sent only by servers"); // hostile-inputs.md#D99
      }
      // checkPacket: nsp must be a string. Stricter, as the default parser's grammar: it starts
      // with '/', holds no ',' and is bounded (hostile-inputs.md#D95).
      if (nsp == null || !nsp.isTextual()) throw malformed("Invalid namespace");
      String namespace = nsp.textValue();
      if (namespace.length() > limits.maxNamespaceLength()) {
        throw limitExceeded("Namespace too long (max " + limits.maxNamespaceLength() + ")");
      }
      if (namespace.isEmpty() || namespace.charAt(0) != '/' || namespace.indexOf(',') >= 0) {
        throw malformed("Invalid namespace");
      }
      long ackId = SocketIoPacket.NO_ACK_ID;
      if (id != null) {
        // checkPacket: id undefined or an integer; ours also non-negative and bounded (hostile-inputs.md#D88).
        if (!type.carriesAckId()) throw malformed(type + " packets carry no ack id");
        ackId = integer(id);
        if (ackId < 0) throw malformed("Invalid ack id");
        if (ackId > limits.maxAckId()) throw limitExceeded("Ack id too large (max " + limits.maxAckId() + ")");
      }
      SocketIoDecoder.validatePayload(type, data, ackId, limits);
      return new SocketIoPacket(type, namespace, data, ackId);
    }

    /** The value of an integral number (JavaScript's Number.isInteger: 2.0 counts), else -1. */
    private static long integer(JsonNode n) {
      if (n == null || !n.isNumber()) return -1;
      if (n.isIntegralNumber()) return n.canConvertToLong() ? n.longValue() : -1;
      double d = n.doubleValue();
      return d == Math.floor(d) && d >= 0 && d < TWO_63 ? (long) d : -1;
    }

    private long remaining() {
      return bytes.length - in.getTotalReadBytes();
    }

    /** A payload must be there before anything is allocated for it. */
    private void requirePayload(long n) throws SocketIoProtocolException {
      if (n > remaining()) throw malformed("Truncated MessagePack");
    }

    /** {@code n} elements of at least {@code minBytes} each must fit in what remains. */
    private void requireElements(long n, int minBytes) throws SocketIoProtocolException {
      if (n * minBytes > remaining()) throw malformed("Truncated MessagePack");
    }

    private String key() throws IOException, SocketIoProtocolException {
      if (in.getNextFormat().getValueType() != ValueType.STRING) throw malformed("Map key is not a string");
      return string();
    }

    private String string() throws IOException, SocketIoProtocolException {
      int n = in.unpackRawStringHeader();
      requirePayload(n);
      int start = (int) in.getTotalReadBytes();
      in.readPayloadAsReference(n); // advances; the string is made from the message itself
      // UTF-8 never has fewer bytes than UTF-16 units, so only a long one needs counting.
      String s = new String(bytes, start, n, StandardCharsets.UTF_8); // invalid sequences → U+FFFD, as Node
      if (s.length() > limits.maxStringLength()) {
        throw limitExceeded("String too long (max " + limits.maxStringLength() + ")");
      }
      return s;
    }

    /** {@code depth}: of the value if it is a container, the payload being 1 (as JSON nesting). */
    private JsonNode read(int depth) throws IOException, SocketIoProtocolException {
      MessageFormat format = in.getNextFormat();
      switch (format) {
        case NIL:
          in.unpackNil();
          return NullNode.getInstance();
        case BOOLEAN:
          return BooleanNode.valueOf(in.unpackBoolean());
        case POSFIXINT: case NEGFIXINT: case UINT8: case UINT16: case UINT32:
        case INT8: case INT16: case INT32: case INT64: {
          long v = in.unpackLong();
          return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
        }
        case UINT64: {
          BigInteger v = in.unpackBigInteger();
          if (v.bitLength() >= 64) return BigIntegerNode.valueOf(v);
          long l = v.longValue(); // notepack writes every integral value of 2^32 or more as uint 64
          return l == (int) l ? IntNode.valueOf((int) l) : LongNode.valueOf(l);
        }
        case FLOAT32: case FLOAT64:
          return DoubleNode.valueOf(in.unpackDouble());
        case FIXSTR: case STR8: case STR16: case STR32:
          return TextNode.valueOf(string());
        case BIN8: case BIN16: case BIN32: {
          int n = in.unpackBinaryHeader();
          return binary(n);
        }
        case FIXARRAY: case ARRAY16: case ARRAY32: {
          enter(depth);
          int n = in.unpackArrayHeader();
          requireElements(n, 1);
          ArrayNode array = NODES.arrayNode(Math.min(n, 16));
          for (int i = 0; i < n; i++) {
            JsonNode element = read(depth + 1);
            array.add(element == UNDEFINED ? NullNode.getInstance() : element); // as JSON.stringify
          }
          return array;
        }
        case FIXMAP: case MAP16: case MAP32: {
          enter(depth);
          int n = in.unpackMapHeader();
          requireElements(n, 2);
          ObjectNode map = NODES.objectNode();
          for (int i = 0; i < n; i++) {
            String key = key();
            // The default parser refuses duplicate JSON keys; the same object must not mean two things.
            if (map.has(key)) throw malformed("Duplicate key in map");
            JsonNode value = read(depth + 1);
            // JSON.stringify leaves out a property holding undefined; so do we. A later duplicate
            // of an undefined key is still refused by the check above only if it was kept.
            if (value != UNDEFINED) map.set(key, value);
          }
          return map;
        }
        case FIXEXT1: case FIXEXT2: case FIXEXT4: case FIXEXT8: case FIXEXT16:
        case EXT8: case EXT16: case EXT32:
          return extension(format);
        default: // NEVER_USED, 0xc1
          throw malformed("Invalid MessagePack");
      }
    }

    private void enter(int depth) throws SocketIoProtocolException {
      // hostile-inputs.md#D101: checked before recursing, so no message reaches the stack limit.
      if (depth > limits.maxNestingDepth()) {
        throw limitExceeded("MessagePack nesting too deep (max " + limits.maxNestingDepth() + ")");
      }
    }

    private JsonNode binary(int n) throws IOException, SocketIoProtocolException {
      requirePayload(n);
      binaryBytes += n;
      // hostile-inputs.md#E111: the same bound as the default parser's attachments together.
      if (binaryBytes > limits.maxAttachmentBytesTotal()) {
        throw limitExceeded("Binary data too large (max " + limits.maxAttachmentBytesTotal() + " bytes)");
      }
      return BinaryNode.valueOf(in.readPayload(n));
    }

    /**
     * The ext values notepack.io 2.2 writes (lib/encode.js), all of ext type 0: undefined (fixext
     * 1), a Date in milliseconds (fixext 8) and an ArrayBuffer or typed array (ext 8/16/32, what
     * a browser client sends for binary). Any other is refused: notepack would hand the
     * application a [type, Buffer] pair no client means to send.
     */
    private JsonNode extension(MessageFormat format) throws IOException, SocketIoProtocolException {
      ExtensionTypeHeader h = in.unpackExtensionTypeHeader();
      int n = h.getLength();
      requirePayload(n);
      if (h.getType() == 0) {
        switch (format) {
          case FIXEXT1:
            in.readPayloadAsReference(1);
            return UNDEFINED;
          case FIXEXT8: {
            byte[] b = in.readPayload(8);
            long hi = int32(b, 0);
            long lo = int32(b, 4) & 0xffff_ffffL;
            return date(hi * 0x1p32 + lo);
          }
          case EXT8: case EXT16: case EXT32:
            return binary(n);
          default:
            break;
        }
      }
      throw malformed("Unsupported MessagePack ext type " + h.getType());
    }

    private static int int32(byte[] b, int o) {
      return (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
    }
  }

  /**
   * What {@code JSON.stringify} makes of {@code new Date(ms)} on the client: the ISO string with
   * milliseconds, or null for an invalid date. Years beyond 0..9999 (which JavaScript writes with
   * six digits and a sign) are also null: no client sends them.
   */
  static JsonNode date(double ms) {
    if (!(Math.abs(ms) <= MAX_DATE_MS)) return NullNode.getInstance(); // also NaN
    Instant t = Instant.ofEpochMilli((long) ms);
    int year = t.atZone(ZoneOffset.UTC).getYear();
    if (year < 0 || year > 9999) return NullNode.getInstance();
    return TextNode.valueOf(ISO_MILLIS.format(t));
  }
}
