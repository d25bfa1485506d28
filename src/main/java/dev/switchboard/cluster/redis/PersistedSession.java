package dev.switchboard.cluster.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.WireFields;
import java.util.List;
import java.util.Objects;

/**
 * The session the Redis streams adapter keeps for a socket that dropped and may come back
 * (connection state recovery across nodes, {@code @socket.io/redis-streams-adapter} 0.3.1
 * lib/adapter.ts 424–435): what socket.io 4.8 hands to {@code persistSession} — {@code {sid, pid,
 * rooms, data}}, keys in that order (socket.ts 660–665) — stored as {@code SET <sessionKeyPrefix>
 * <pid> <base64 of its MessagePack> PX <maxDisconnectionDuration>}. A real one
 * (captured-messages.json):
 *
 * <pre>{@code
 * {"sid": "aTp0BTf8ZUg6JLlfAAAM", "pid": "L2YZtJw11-9hy7cOAAAN", "rooms": ["aTp0BTf8ZUg6JLlfAAAM"], "data": {}}
 * }</pre>
 *
 * <p>The restoring node reads it back with {@code MULTI GET DEL EXEC}. Immutable but for the data
 * tree, the decoded session's own.
 *
 * @param sid the socket id it had (the reconnecting socket gets it again)
 * @param pid the private session id the client presents to come back
 * @param rooms the rooms it was in, its own id included
 * @param data the application's {@code socket.data}; {@link MissingNode} for undefined
 */
public record PersistedSession(String sid, String pid, List<String> rooms, JsonNode data) {
  /** Copies the rooms; checks that nothing is null. */
  public PersistedSession {
    Objects.requireNonNull(sid, "sid");
    Objects.requireNonNull(pid, "pid");
    rooms = List.copyOf(rooms);
    Objects.requireNonNull(data, "data");
  }

  /**
   * The session of a decoded tree.
   *
   * @throws ClusterMessageException if a field is missing or of the wrong type
   */
  public static PersistedSession fromTree(JsonNode tree) {
    String what = "persisted session";
    ObjectNode o = WireFields.object(tree, what);
    return new PersistedSession(WireFields.id(o, "sid", what), WireFields.id(o, "pid", what),
        WireFields.strings(o, "rooms", what), WireFields.field(o, "data"));
  }

  /** {@code {sid, pid, rooms, data}}. */
  public ObjectNode toTree() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("sid", sid);
    o.put("pid", pid);
    o.set("rooms", WireFields.stringArray(rooms));
    o.set("data", data);
    return o;
  }
}
