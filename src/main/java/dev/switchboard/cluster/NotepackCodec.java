package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;

/**
 * MessagePack between Jackson trees and bytes, exactly as {@code notepack.io} 3.0.x writes and
 * reads it: the codec of {@code @socket.io/redis-adapter} 8.3, so a Switchboard node and a Node
 * node on one Redis read each other's broadcasts. Pure: no I/O, no threads, no shared state; one
 * instance may be used by any number of threads at once.
 *
 * <pre>{@code
 * NotepackCodec codec = new NotepackCodec();                  // default limits
 * byte[] wire = codec.encode(tree);                           // what notepack.encode(value) gives
 * JsonNode back = codec.decode(wire);                         // ClusterMessageException if bad
 * NotepackCodec small = NotepackCodec.builder().maxBytes(1 << 20).maxDepth(32).build();
 * }</pre>
 *
 * <p>Values are JavaScript values, as on a Node peer (spec-notes/cluster.md §notepack has the
 * full table, with the upstream lines):
 *
 * <ul>
 *   <li><b>Numbers</b> are doubles. An integral, finite one is written as the smallest integer
 *       format (positive fixint, uint 8/16/32, negative fixint, int 8/16/32, then uint 64 /
 *       int 64); anything else (fractions, NaN, ±Infinity) as float 64 — never float 32. So
 *       {@code 1.0} is written as {@code 01}, {@code -0.0} as {@code 00}, and an integer beyond
 *       2^53 loses the precision JavaScript would lose (send exact 64-bit ids as strings). For
 *       integral values at or beyond ±2^64 notepack's 64-bit words wrap; we write the same bytes.
 *       Decoding keeps every integer exact ({@link IntNode}, {@link LongNode}, {@link
 *       BigIntegerNode} for uint 64 above 2^63−1); float 32 and float 64 become {@link
 *       DoubleNode}.
 *   <li><b>Strings</b>: fixstr / str 8 / str 16 / str 32 by UTF-8 length. A lone surrogate is
 *       written as U+FFFD, as Node's {@code Buffer} does (notepack's own short-string writer
 *       would write a broken sequence). Invalid UTF-8 decodes to U+FFFD.
 *   <li><b>Binary</b> ({@link BinaryNode}): bin 8 / 16 / 32; ext type 0 (notepack 2.x's
 *       ArrayBuffer) also decodes to binary.
 *   <li><b>Arrays and objects</b>: fixarray / array 16 / array 32, fixmap / map 16 / map 32, keys
 *       in order; map keys must be strings; a duplicate key keeps the last value.
 *   <li><b>undefined</b>, which only JavaScript has: notepack writes it as nil and leaves out an
 *       object property holding it; its old encoding (fixext 1 type 0) decodes as JSON.stringify
 *       would show it: an absent key, {@code null} in an array or alone.
 *   <li><b>Dates</b> (timestamp ext type −1 in 32, 64 and 96 bits; notepack 2.x's fixext 8 type 0
 *       in milliseconds) decode to the string {@code Date.prototype.toJSON} gives on the Node
 *       peer ({@code "2026-12-04T05:28:03.250Z"}), {@code null} for a date out of JavaScript's
 *       range. A tree has no dates, so none is ever written.
 * </ul>
 *
 * <p><b>Dialects.</b> {@link Dialect#NOTEPACK} (the default) is the above. {@link
 * Dialect#MSGPACK_JS} is {@code @msgpack/msgpack} 2.8, the codec of {@code
 * @socket.io/redis-streams-adapter} 0.3 ({@link #msgpackJs()}); it differs in four places only:
 * an integral number beyond 2^53−1 (not a safe integer) is float 64 instead of uint 64 / int 64;
 * an object property holding {@link MissingNode} (undefined) is written as nil instead of left
 * out, and decoded as {@code null}; notepack's old ext type 0 encodings are unknown ext types; and
 * the map key {@code __proto__} is refused, as that library refuses it.
 *
 * <p>Hostile input (another node on the same Redis may be broken or malicious): every problem is
 * a {@link ClusterMessageException} saying what and at which byte — truncation, trailing bytes,
 * the reserved byte 0xc1, an ext type other than those above, a non-string map key, and the
 * limits below. A declared length or count is checked against the bytes that remain before
 * anything is allocated, so a 5-byte header announcing 4 GB fails at once; nesting is checked
 * before recursing, so no input reaches a StackOverflowError.
 */
public final class NotepackCodec {
  /** Default {@link Builder#maxBytes}: 16 MiB. */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
  /** Default {@link Builder#maxDepth}: 128. */
  public static final int DEFAULT_MAX_DEPTH = 128;
  /** Default {@link Builder#maxElements}: 1 000 000. */
  public static final int DEFAULT_MAX_ELEMENTS = 1_000_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /**
   * A first buffer of 512 bytes instead of msgpack-core's 8 KiB: a broadcast is encoded once per
   * publish and is usually a few hundred bytes; a larger message grows the buffer in chunks.
   */
  private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig().withBufferSize(512);
  /** What decoding JavaScript's undefined yields before its container decides what it means. */
  private static final JsonNode UNDEFINED = MissingNode.getInstance();
  private static final double TWO_32 = 0x1p32;
  /** Number.MAX_SAFE_INTEGER, 2^53 − 1. */
  private static final double MAX_SAFE_INTEGER = 0x1p53 - 1;
  private static final BigInteger LOW_32_BITS = BigInteger.valueOf(0xffff_ffffL);
  /** ECMAScript TimeClip: a Date beyond ±8.64e15 ms is invalid, and toJSON gives null. */
  private static final double MAX_DATE_MS = 8.64e15;

  /**
   * Which JavaScript MessagePack library the bytes must match (spec-notes/cluster.md §MessagePack
   * has the differences, each checked against the library's own output).
   */
  public enum Dialect {
    /** {@code notepack.io} 3.0.x: the classic and the sharded Redis adapter. */
    NOTEPACK,
    /** {@code @msgpack/msgpack} 2.8 with its default options: the Redis streams adapter. */
    MSGPACK_JS
  }

  private final Dialect dialect;
  private final int maxBytes;
  private final int maxDepth;
  private final int maxElements;

  /** A notepack.io codec with the default limits. */
  public NotepackCodec() {
    this(Dialect.NOTEPACK, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS);
  }

  private NotepackCodec(Dialect dialect, int maxBytes, int maxDepth, int maxElements) {
    this.dialect = dialect;
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    this.maxElements = maxElements;
  }

  /** An {@code @msgpack/msgpack} codec ({@link Dialect#MSGPACK_JS}) with the default limits. */
  public static NotepackCodec msgpackJs() {
    return builder().dialect(Dialect.MSGPACK_JS).build();
  }

  /** A builder starting from the default limits. */
  public static Builder builder() {
    return new Builder();
  }

  /** Dialect and limits of one codec; each limit must be at least 1. */
  public static final class Builder {
    private Dialect dialect = Dialect.NOTEPACK;
    private int maxBytes = DEFAULT_MAX_BYTES;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private int maxElements = DEFAULT_MAX_ELEMENTS;

    private Builder() {}

    /** The library whose bytes to match; default {@link Dialect#NOTEPACK}. */
    public Builder dialect(Dialect dialect) {
      this.dialect = java.util.Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * Bytes of one encoded message, decoded or produced. Default 16 MiB: a broadcast carries one
     * Socket.IO packet, whose client-side limit is 1 MB by default, with room for binary
     * server-side emits; Redis itself would take 512 MB.
     */
    public Builder maxBytes(int maxBytes) {
      this.maxBytes = atLeastOne("maxBytes", maxBytes);
      return this;
    }

    /**
     * Arrays and maps nested in one message, the outermost being depth 1. Default 128: a
     * broadcast wraps the Socket.IO payload (at most 64 deep by default, {@code SocketIoLimits})
     * in three levels, and every tree walk stays far from the stack limit.
     */
    public Builder maxDepth(int maxDepth) {
      this.maxDepth = atLeastOne("maxDepth", maxDepth);
      return this;
    }

    /**
     * Array elements plus map entries in one message, all levels together. Default 1 000 000:
     * bounds the nodes one message can make the decoder build (each costs tens of bytes of heap
     * although it may take one byte on the wire).
     */
    public Builder maxElements(int maxElements) {
      this.maxElements = atLeastOne("maxElements", maxElements);
      return this;
    }

    /** The codec. */
    public NotepackCodec build() {
      return new NotepackCodec(dialect, maxBytes, maxDepth, maxElements);
    }

    private static int atLeastOne(String name, int value) {
      if (value < 1) throw new IllegalArgumentException(name + " must be at least 1, was " + value);
      return value;
    }
  }

  /** The library whose bytes this codec matches. */
  public Dialect dialect() {
    return dialect;
  }

  /** Limit on the bytes of one message. */
  public int maxBytes() {
    return maxBytes;
  }

  /** Limit on the nesting of one message. */
  public int maxDepth() {
    return maxDepth;
  }

  /** Limit on the array elements plus map entries of one message. */
  public int maxElements() {
    return maxElements;
  }

  // ---------------------------------------------------------------------------------------- encode

  /**
   * The bytes notepack.io would write for the JavaScript value this tree stands for.
   *
   * @throws ClusterMessageException if the tree nests deeper than {@link #maxDepth()}, holds
   *     more than {@link #maxElements()} elements, encodes to more than {@link #maxBytes()}, or
   *     holds a value with no wire form (a {@link POJONode} other than {@code byte[]})
   */
  public byte[] encode(JsonNode value) {
    MessageBufferPacker packer = PACKER.newBufferPacker();
    int[] elements = {0};
    try {
      write(packer, value, 1, elements);
      packer.flush();
      if (packer.getBufferSize() > maxBytes) {
        throw new ClusterMessageException("cannot encode: " + packer.getBufferSize()
            + " bytes exceed maxBytes " + maxBytes);
      }
      return packer.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory packer failed", e); // no I/O happens
    }
  }

  private void write(MessagePacker p, JsonNode node, int depth, int[] elements) throws IOException {
    switch (node.getNodeType()) {
      case NULL, MISSING -> p.packNil();
      case BOOLEAN -> p.packBoolean(node.booleanValue());
      case NUMBER -> writeNumber(p, node.doubleValue(), dialect);
      case STRING -> writeString(p, node.textValue());
      case BINARY -> writeBinary(p, node.binaryValue());
      case ARRAY -> {
        enter(depth, elements, node.size());
        p.packArrayHeader(node.size());
        for (JsonNode element : node) write(p, element, depth + 1, elements);
      }
      case OBJECT -> {
        // notepack skips properties holding undefined, @msgpack/msgpack writes them as nil
        // (ignoreUndefined is off by default); a tree's nearest equivalent is MissingNode.
        boolean skipUndefined = dialect == Dialect.NOTEPACK;
        int present = 0;
        for (JsonNode v : node) if (!(skipUndefined && v.isMissingNode())) present++;
        enter(depth, elements, present);
        p.packMapHeader(present);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          if (skipUndefined && e.getValue().isMissingNode()) continue;
          writeString(p, e.getKey());
          write(p, e.getValue(), depth + 1, elements);
        }
      }
      case POJO -> {
        Object pojo = ((POJONode) node).getPojo();
        if (!(pojo instanceof byte[] bytes)) {
          throw new ClusterMessageException("cannot encode a POJONode holding "
              + (pojo == null ? "null" : pojo.getClass().getName()) + ": only JSON values and binary have a wire form");
        }
        writeBinary(p, bytes);
      }
    }
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

  /**
   * notepack's number rule (lib/encode.js, case 'number'): a value that is not integral or not
   * finite is float 64; otherwise the smallest integer format for its sign. @msgpack/msgpack's
   * (Encoder.encodeNumber) is the same for safe integers, and float 64 for every other number.
   * Every tree number is first the double JavaScript would hold for it.
   */
  private static void writeNumber(MessagePacker p, double d, Dialect dialect) throws IOException {
    if (d != Math.floor(d) || Double.isInfinite(d)) { // NaN fails the first test
      p.packDouble(d);
    } else if (dialect == Dialect.MSGPACK_JS && Math.abs(d) > MAX_SAFE_INTEGER) {
      p.packDouble(d); // Number.isSafeInteger is false: float 64
    } else if (d >= 0 ? d < TWO_32 : d >= -0x1p31) {
      p.packLong((long) d); // the smallest of fixint, uint 8/16/32, int 8/16/32 (-0.0 is fixint 0)
    } else {
      // uint 64 / int 64 from two 32-bit words, computed as notepack does: the high word is
      // (d / 2^32) >> 0 for positive values and Math.floor(d / 2^32) for negative ones, the low
      // word d >>> 0. Both are exact below 2^63 in magnitude and wrap (ToInt32) beyond.
      long hi = d >= 0 ? low32(d / TWO_32) : low32(Math.floor(d / TWO_32));
      long lo = low32(d);
      byte[] b = new byte[9];
      b[0] = (byte) (d >= 0 ? 0xcf : 0xd3);
      for (int i = 0; i < 4; i++) {
        b[1 + i] = (byte) (hi >>> (24 - 8 * i));
        b[5 + i] = (byte) (lo >>> (24 - 8 * i));
      }
      p.writePayload(b);
    }
  }

  /** The low 32 bits of the integer part of {@code x}: ECMAScript ToInt32/ToUint32's modulo. */
  private static long low32(double x) {
    if (Math.abs(x) < 0x1p63) return ((long) x) & 0xffff_ffffL;
    return new BigDecimal(x).toBigInteger().and(LOW_32_BITS).longValue();
  }

  private static void writeString(MessagePacker p, String s) throws IOException {
    byte[] utf8 = utf8(s);
    p.packRawStringHeader(utf8.length); // fixstr < 32, str 8 < 2^8, str 16 < 2^16, else str 32
    p.writePayload(utf8);
  }

  private static void writeBinary(MessagePacker p, byte[] bytes) throws IOException {
    p.packBinaryHeader(bytes.length); // bin 8 < 2^8, bin 16 < 2^16, else bin 32
    p.writePayload(bytes);
  }

  /** UTF-8 with each lone surrogate as U+FFFD (EF BF BD), as Node's Buffer writes it. */
  static byte[] utf8(String s) {
    int n = s.length();
    int length = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) length += 1;
      else if (c < 0x800) length += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        length += 4;
        i++;
      } else length += 3; // BMP character, or a lone surrogate written as U+FFFD
    }
    if (length == n) return s.getBytes(StandardCharsets.ISO_8859_1); // all ASCII
    byte[] out = new byte[length];
    int o = 0;
    for (int i = 0; i < n; i++) {
      int c = s.charAt(i);
      if (c < 0x80) {
        out[o++] = (byte) c;
      } else if (c < 0x800) {
        out[o++] = (byte) (0xc0 | c >> 6);
        out[o++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate((char) c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint((char) c, s.charAt(++i));
        out[o++] = (byte) (0xf0 | cp >> 18);
        out[o++] = (byte) (0x80 | cp >> 12 & 0x3f);
        out[o++] = (byte) (0x80 | cp >> 6 & 0x3f);
        out[o++] = (byte) (0x80 | cp & 0x3f);
      } else {
        if (Character.isSurrogate((char) c)) c = 0xfffd;
        out[o++] = (byte) (0xe0 | c >> 12);
        out[o++] = (byte) (0x80 | c >> 6 & 0x3f);
        out[o++] = (byte) (0x80 | c & 0x3f);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------- decode

  /**
   * The tree for one whole message.
   *
   * @throws ClusterMessageException if the bytes are not exactly one value notepack.io accepts
   *     (see the class comment), or exceed a limit
   */
  public JsonNode decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * The tree for the message in {@code bytes[offset, offset + length)}.
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
    if (length == 0) throw new ClusterMessageException("empty message: no MessagePack value");
    Reader r = new Reader(bytes, offset, length);
    try {
      JsonNode value = r.read(1);
      long end = r.in.getTotalReadBytes();
      if (end != length) {
        throw new ClusterMessageException((length - end) + " trailing bytes after the value, at byte " + end);
      }
      return value == UNDEFINED ? NullNode.getInstance() : value;
    } catch (MessageInsufficientBufferException e) {
      throw new ClusterMessageException("truncated: the input ends at byte " + length
          + " inside the value that starts at byte " + r.valueStart, e);
    } catch (MessageSizeException e) {
      // A 32-bit length or count of 2^31 or more, which msgpack-core refuses while reading it.
      throw new ClusterMessageException("value at byte " + r.valueStart + " declares " + e.getSize()
          + " bytes or elements but only " + (length - r.valueStart) + " bytes remain", e);
    } catch (MessagePackException e) {
      throw new ClusterMessageException("malformed MessagePack at byte " + r.valueStart + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory unpacker failed", e); // no I/O happens
    }
  }

  /** One decoding pass; the counters make the limits hold across the whole message. */
  private final class Reader {
    final MessageUnpacker in;
    final byte[] bytes;
    final int offset;
    final int length;
    long valueStart;
    int elements;

    Reader(byte[] bytes, int offset, int length) {
      this.in = MessagePack.newDefaultUnpacker(bytes, offset, length);
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
    }

    long remaining() {
      return length - in.getTotalReadBytes();
    }

    /** A payload of {@code n} bytes must be there before it is read (no allocation before). */
    void requirePayload(String what, long n) {
      if (n > remaining()) {
        throw new ClusterMessageException(what + " at byte " + valueStart + " declares " + n
            + " bytes but only " + remaining() + " remain");
      }
    }

    /** {@code n} elements of at least {@code minBytes} each must fit in what remains. */
    void requireElements(String what, int depth, long n, int minBytes) {
      if (depth > maxDepth) {
        throw new ClusterMessageException(what + " at byte " + valueStart + " nests deeper than maxDepth " + maxDepth);
      }
      if (n * minBytes > remaining()) {
        throw new ClusterMessageException(what + " at byte " + valueStart + " declares " + n
            + " elements but only " + remaining() + " bytes remain");
      }
      elements += (int) n;
      if (elements > maxElements || elements < 0) {
        throw new ClusterMessageException(what + " at byte " + valueStart + " brings the message over maxElements "
            + maxElements);
      }
    }

    JsonNode read(int depth) throws IOException {
      valueStart = in.getTotalReadBytes();
      MessageFormat format = in.getNextFormat();
      switch (format) {
        case NIL:
          in.unpackNil();
          return NullNode.getInstance();
        case BOOLEAN:
          return BooleanNode.valueOf(in.unpackBoolean());
        case POSFIXINT: case NEGFIXINT: case UINT8: case UINT16: case UINT32:
        case INT8: case INT16: case INT32: case INT64:
          return integer(in.unpackLong());
        case UINT64: {
          BigInteger v = in.unpackBigInteger();
          return v.bitLength() < 64 ? LongNode.valueOf(v.longValue()) : BigIntegerNode.valueOf(v);
        }
        case FLOAT32: case FLOAT64:
          return DoubleNode.valueOf(in.unpackDouble()); // float 32 widens exactly, as in JS
        case FIXSTR: case STR8: case STR16: case STR32:
          return TextNode.valueOf(string());
        case BIN8: case BIN16: case BIN32: {
          int n = in.unpackBinaryHeader();
          requirePayload(format.name().toLowerCase(), n);
          return BinaryNode.valueOf(in.readPayload(n));
        }
        case FIXARRAY: case ARRAY16: case ARRAY32: {
          int n = in.unpackArrayHeader();
          requireElements("array", depth, n, 1);
          ArrayNode array = NODES.arrayNode(Math.min(n, 16));
          for (int i = 0; i < n; i++) {
            JsonNode element = read(depth + 1);
            array.add(element == UNDEFINED ? NullNode.getInstance() : element);
          }
          return array;
        }
        case FIXMAP: case MAP16: case MAP32: {
          int n = in.unpackMapHeader();
          requireElements("map", depth, n, 2);
          ObjectNode map = NODES.objectNode();
          for (int i = 0; i < n; i++) {
            valueStart = in.getTotalReadBytes();
            MessageFormat keyFormat = in.getNextFormat();
            if (keyFormat.getValueType() != org.msgpack.value.ValueType.STRING) {
              throw new ClusterMessageException("map key at byte " + valueStart + " is "
                  + keyFormat.getValueType().name().toLowerCase() + ", not a string");
            }
            String key = string();
            if (dialect == Dialect.MSGPACK_JS && key.equals("__proto__")) {
              // @msgpack/msgpack's Decoder refuses it (it would reach the object's prototype).
              throw new ClusterMessageException("map key __proto__ at byte " + valueStart + " is refused");
            }
            JsonNode value = read(depth + 1);
            if (value == UNDEFINED) map.remove(key); // JSON.stringify leaves the property out
            else map.set(key, value);
          }
          return map;
        }
        case FIXEXT1: case FIXEXT2: case FIXEXT4: case FIXEXT8: case FIXEXT16:
        case EXT8: case EXT16: case EXT32:
          return extension(format);
        case NEVER_USED:
          throw new ClusterMessageException("reserved byte 0xc1 at byte " + valueStart);
        default:
          throw new ClusterMessageException("unexpected MessagePack format " + format + " at byte " + valueStart);
      }
    }

    String string() throws IOException {
      int n = in.unpackRawStringHeader();
      requirePayload("string", n);
      int start = offset + (int) in.getTotalReadBytes();
      in.readPayloadAsReference(n); // advances without copying; the string is made from the input
      return new String(bytes, start, n, StandardCharsets.UTF_8); // invalid sequences → U+FFFD
    }

    /**
     * The ext values notepack.io reads (lib/decode.js): type 0 as undefined (fixext 1), a date in
     * milliseconds (fixext 8) or an ArrayBuffer (ext 8/16/32); type −1 as a timestamp (fixext 4,
     * fixext 8, ext 8 of 12 bytes). It turns any other into a [type, Buffer] pair no JSON
     * producer meant; we refuse them. @msgpack/msgpack reads only the timestamps (any other type
     * is an ExtData object), so in that dialect type 0 is refused too.
     */
    JsonNode extension(MessageFormat format) throws IOException {
      ExtensionTypeHeader h = in.unpackExtensionTypeHeader();
      int n = h.getLength();
      requirePayload("ext", n);
      int type = h.getType();
      if (type == 0 && dialect == Dialect.NOTEPACK) {
        switch (format) {
          case FIXEXT1:
            in.readPayloadAsReference(1);
            return UNDEFINED;
          case FIXEXT8: {
            long hi = readInt32();
            long lo = readInt32() & 0xffff_ffffL;
            return date(hi * TWO_32 + lo);
          }
          case EXT8: case EXT16: case EXT32:
            return BinaryNode.valueOf(in.readPayload(n));
          default:
            break;
        }
      } else if (type == -1) {
        switch (format) {
          case FIXEXT4:
            return date((readInt32() & 0xffff_ffffL) * 1e3);
          case FIXEXT8: {
            long hi = readInt32() & 0xffff_ffffL;
            long lo = readInt32() & 0xffff_ffffL;
            double seconds = (hi & 0x3) * TWO_32 + lo;
            return date(seconds * 1e3 + (hi >>> 2) / 1e6);
          }
          case EXT8:
            if (n == 12) {
              long nanos = readInt32() & 0xffff_ffffL;
              long hi = readInt32();
              long lo = readInt32() & 0xffff_ffffL;
              return date((hi * TWO_32 + lo) * 1e3 + nanos / 1e6);
            }
            break;
          default:
            break;
        }
      }
      throw new ClusterMessageException("unknown ext type " + type + " (" + format.name().toLowerCase() + ", "
          + n + " bytes) at byte " + valueStart);
    }

    int readInt32() throws IOException {
      byte[] b = in.readPayload(4);
      return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
  }

  private static JsonNode integer(long v) {
    return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
  }

  /**
   * What {@code JSON.stringify(new Date(ms))} gives: Date.prototype.toISOString, or null for a
   * time out of range (ECMAScript TimeClip truncates toward zero and refuses beyond ±8.64e15).
   */
  static JsonNode date(double ms) {
    if (!(Math.abs(ms) <= MAX_DATE_MS)) return NullNode.getInstance(); // also NaN
    long t = (long) ms;
    LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(t, 1000), Math.floorMod(t, 1000) * 1_000_000,
        ZoneOffset.UTC);
    int year = time.getYear();
    String y = year >= 0 && year <= 9999 ? String.format("%04d", year)
        : (year < 0 ? "-" : "+") + String.format("%06d", Math.abs(year));
    return TextNode.valueOf(String.format("%s-%02d-%02dT%02d:%02d:%02d.%03dZ", y, time.getMonthValue(),
        time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond(), time.getNano() / 1_000_000));
  }
}
