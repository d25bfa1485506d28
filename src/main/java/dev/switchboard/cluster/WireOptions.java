package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Which sockets an operation from another node selects, as it travels: socket.io's {@code
 * BroadcastOptions} with its sets turned into arrays ({@code {rooms, except, flags}}; the classic
 * adapter leaves {@code flags} out of everything but broadcasts). The members of any of {@code
 * rooms} (every socket of the namespace when empty), minus the members of any of {@code except}.
 *
 * <p>Lists, not sets, so that a decoded message encodes back in the same order; they are what
 * Node made from a {@code Set}, so they hold no duplicates unless a broken peer sent some (which
 * changes nothing: membership is all that is read). Immutable.
 *
 * <pre>{@code
 * WireOptions toLobby = new WireOptions(List.of("lobby"), List.of(), WireFlags.NONE);
 * WireOptions everyone = WireOptions.ALL;
 * }</pre>
 *
 * @param rooms the rooms to reach, empty for the whole namespace
 * @param except the rooms whose members are left out
 * @param flags how the packet is sent (only broadcasts use it)
 */
public record WireOptions(List<String> rooms, List<String> except, WireFlags flags) {
  /** Every socket of the namespace, no flag. */
  public static final WireOptions ALL = new WireOptions(List.of(), List.of(), WireFlags.NONE);

  /** Copies the lists, so the options stay immutable. */
  public WireOptions {
    rooms = List.copyOf(rooms);
    except = List.copyOf(except);
    Objects.requireNonNull(flags, "flags");
  }

  /**
   * The options of a decoded {@code opts} field. {@code rooms} and {@code except} may be absent
   * or null, then empty (socket.io-adapter makes {@code new Set(opts.rooms)} of them), otherwise
   * arrays of strings; {@code flags} as {@link WireFlags#fromTree} reads it.
   *
   * @throws ClusterMessageException if {@code node} is not such an object
   */
  public static WireOptions fromTree(JsonNode node, String what) {
    String where = what + ": opts";
    ObjectNode o = WireFields.object(node, where);
    return new WireOptions(WireFields.stringsOrEmpty(o, "rooms", where), WireFields.stringsOrEmpty(o, "except", where),
        WireFlags.fromTree(WireFields.field(o, "flags"), where));
  }

  /** {@code {rooms, except, flags}}, or without {@code flags} when {@code withFlags} is false. */
  public ObjectNode toTree(boolean withFlags) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("rooms", WireFields.stringArray(rooms));
    o.set("except", WireFields.stringArray(except));
    if (withFlags) o.set("flags", flags.toTree());
    return o;
  }
}
