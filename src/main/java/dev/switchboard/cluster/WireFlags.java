package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code flags} of a broadcast as they travel between nodes: socket.io's {@code
 * BroadcastFlags} object ({@code packages/socket.io-adapter/lib/in-memory-adapter.ts}), in the
 * order the emitting code set them — BroadcastOperator copies it with {@code Object.assign} for
 * each modifier, so {@code io.volatile.compress(false)} sends {@code {"volatile":true,
 * "compress":false}} and {@code io.compress(false).volatile} the same two keys the other way
 * round. Keeping that order makes a decoded message encode back to the same bytes.
 *
 * <p>Immutable and thread-safe; {@link #NONE} is the empty object every plain broadcast carries.
 *
 * <pre>{@code
 * WireFlags flags = WireFlags.NONE.with(WireFlags.Flag.VOLATILE, true).withTimeout(5000);
 * flags.isVolatile();   // true
 * flags.timeout();      // OptionalLong[5000]
 * flags.compress();     // true: only an explicit false turns compression off
 * }</pre>
 *
 * <p>Decoding keeps the flags socket.io knows (below) and drops any other key; a known flag of
 * the wrong type ({@code "volatile": 1}) is an error.
 */
public final class WireFlags {
  /** The flags socket.io 4.8 sets, with their wire names. */
  public enum Flag {
    /** {@code volatile}: may be dropped for a client that is not ready. */
    VOLATILE("volatile"),
    /** {@code compress}: a hint to the transport; only {@code false} means anything. */
    COMPRESS("compress"),
    /** {@code local}: this node only (never published, so never received). */
    LOCAL("local"),
    /** {@code broadcast}: set by socket.io 2.x emitters; kept for their messages. */
    BROADCAST("broadcast"),
    /** {@code binary}: set by socket.io 2.x emitters; kept for their messages. */
    BINARY("binary"),
    /** {@code expectSingleResponse}: a RemoteSocket's emit with ack (BroadcastOperator 4.8). */
    EXPECT_SINGLE_RESPONSE("expectSingleResponse"),
    /** {@code timeout}: the ack timeout in milliseconds, the only numeric flag. */
    TIMEOUT("timeout");

    private final String wireName;

    Flag(String wireName) {
      this.wireName = wireName;
    }

    /** The key on the wire. */
    public String wireName() {
      return wireName;
    }
  }

  /** No flag: {@code {}}. */
  public static final WireFlags NONE = new WireFlags(new Flag[0], new long[0]);

  private static final Flag[] FLAGS = Flag.values();

  private final Flag[] order;
  /** Booleans as 0/1, the timeout in milliseconds. */
  private final long[] values;

  private WireFlags(Flag[] order, long[] values) {
    this.order = order;
    this.values = values;
  }

  /** These flags with {@code flag} (a boolean one) set to {@code value}, in place if already set. */
  public WireFlags with(Flag flag, boolean value) {
    if (flag == Flag.TIMEOUT) throw new IllegalArgumentException("timeout is a number: use withTimeout");
    return set(flag, value ? 1 : 0);
  }

  /** These flags with {@code timeout} set to {@code millis}, in place if already set. */
  public WireFlags withTimeout(long millis) {
    if (millis < 0) throw new IllegalArgumentException("timeout must not be negative: " + millis);
    return set(Flag.TIMEOUT, millis);
  }

  private WireFlags set(Flag flag, long value) {
    int i = indexOf(flag);
    if (i >= 0) {
      long[] v = values.clone();
      v[i] = value;
      return new WireFlags(order, v);
    }
    Flag[] o = Arrays.copyOf(order, order.length + 1);
    long[] v = Arrays.copyOf(values, values.length + 1);
    o[order.length] = flag;
    v[values.length] = value;
    return new WireFlags(o, v);
  }

  private int indexOf(Flag flag) {
    for (int i = 0; i < order.length; i++) if (order[i] == flag) return i;
    return -1;
  }

  /** Whether {@code flag} is on the wire (with any value). */
  public boolean has(Flag flag) {
    return indexOf(flag) >= 0;
  }

  /** The flags on the wire, in their order. */
  public List<Flag> flags() {
    return List.of(order);
  }

  /** Whether there is none: {@code {}}. */
  public boolean isEmpty() {
    return order.length == 0;
  }

  private boolean isTrue(Flag flag) {
    int i = indexOf(flag);
    return i >= 0 && values[i] == 1;
  }

  /** {@code volatile: true}. */
  public boolean isVolatile() {
    return isTrue(Flag.VOLATILE);
  }

  /** False only for {@code compress: false}, as socket.io reads it ({@code compress !== false}). */
  public boolean compress() {
    int i = indexOf(Flag.COMPRESS);
    return i < 0 || values[i] == 1;
  }

  /** {@code local: true}. */
  public boolean local() {
    return isTrue(Flag.LOCAL);
  }

  /** {@code expectSingleResponse: true}. */
  public boolean expectSingleResponse() {
    return isTrue(Flag.EXPECT_SINGLE_RESPONSE);
  }

  /** The ack timeout in milliseconds, if set. */
  public OptionalLong timeout() {
    int i = indexOf(Flag.TIMEOUT);
    return i < 0 ? OptionalLong.empty() : OptionalLong.of(values[i]);
  }

  /**
   * The flags of a decoded {@code flags} field: absent or null is {@link #NONE} (socket.io reads
   * {@code opts.flags?.x}), an object is read key by key, anything else is an error.
   *
   * @throws ClusterMessageException if the field is not an object, or a known flag has the wrong
   *     type (a boolean, or for {@code timeout} a non-negative integer up to 2^53 − 1)
   */
  public static WireFlags fromTree(JsonNode node, String what) {
    if (node.isMissingNode() || node.isNull()) return NONE;
    ObjectNode o = WireFields.object(node, what + ": flags");
    if (o.isEmpty()) return NONE;
    List<Flag> order = new ArrayList<>(o.size());
    long[] values = new long[FLAGS.length];
    for (String key : (Iterable<String>) o::fieldNames) {
      Flag flag = byWireName(key);
      if (flag == null) continue; // socket.io passes unknown keys through and reads none of them
      if (flag == Flag.TIMEOUT) {
        values[order.size()] = WireFields.count(o, key, what + ": flags");
      } else {
        values[order.size()] = WireFields.bool(o, key, what + ": flags") ? 1 : 0;
      }
      order.add(flag);
    }
    if (order.isEmpty()) return NONE;
    return new WireFlags(order.toArray(new Flag[0]), Arrays.copyOf(values, order.size()));
  }

  private static Flag byWireName(String key) {
    for (Flag f : FLAGS) if (f.wireName.equals(key)) return f;
    return null;
  }

  /** The {@code flags} object, keys in order. */
  public ObjectNode toTree() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < order.length; i++) {
      if (order[i] == Flag.TIMEOUT) o.put(order[i].wireName, values[i]);
      else o.put(order[i].wireName, values[i] == 1);
    }
    return o;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WireFlags f && Arrays.equals(order, f.order) && Arrays.equals(values, f.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(order) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return toTree().toString();
  }
}
