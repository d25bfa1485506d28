package dev.switchboard.cluster.redis;

import dev.switchboard.cluster.WireOptions;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.util.Objects;

/**
 * A broadcast of the classic {@code @socket.io/redis-adapter} 8.3: the notepack tuple {@code [uid,
 * packet, opts]} published on {@link ClassicChannels#broadcastChannel} (lib/index.ts 619–639,
 * received 202–231). A real one (captured-messages.json):
 *
 * <pre>{@code
 * ["H57LfC", {"type": 2, "data": ["event", <Buffer 00 01 ff>, "x"], "nsp": "/"},
 *            {"rooms": ["room1"], "except": [], "flags": {}}]
 * }</pre>
 *
 * <p>The packet keeps its binary as {@code BinaryNode}s (the adapter carries real binary, not
 * Socket.IO placeholders). Immutable but for the packet's data tree, the decoded message's own:
 * read it, copy it before changing it.
 *
 * @param uid the sending node's id (6 characters from Node; the receiver drops its own)
 * @param packet the event; its namespace is the packet's {@code nsp} ("/" when absent)
 * @param opts who receives it, and how
 */
public record ClassicBroadcast(String uid, SocketIoPacket packet, WireOptions opts) {
  /** Checks that nothing is null. */
  public ClassicBroadcast {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(packet, "packet");
    Objects.requireNonNull(opts, "opts");
  }
}
