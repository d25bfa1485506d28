package dev.switchboard.socketio.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.socketio.adapter.BroadcastOptions;
import dev.switchboard.socketio.adapter.SocketDetails;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import java.util.List;
import java.util.Set;

/**
 * The loopback cluster's own message format: one record per message type of socket.io-adapter's
 * {@code ClusterAdapter} (spec-notes/cluster.md, "ClusterAdapter messages"), plus the classic
 * Redis adapter's ALL_ROOMS. Every message names its sender ({@code uid}) and namespace; requests
 * carry a {@code requestId} their responses repeat. Values are immutable or copied when the
 * message is made ({@link #copy}), as bytes on a wire would be: a receiver never shares a tree with
 * the sender.
 */
sealed interface LoopbackMessage {
  String uid();

  String nsp();

  /** A deep copy of {@code a}: what the receiving side of a wire gets. */
  static ArrayNode copy(ArrayNode a) {
    return a.deepCopy();
  }

  /** Deliver {@code packet} to the selected sockets; with a {@code requestId}, count and forward their acks. */
  record Broadcast(String uid, String nsp, SocketIoPacket packet, BroadcastOptions options, String requestId)
      implements LoopbackMessage {
    public Broadcast {
      packet = new SocketIoPacket(packet.type(), packet.namespace(), ((ArrayNode) packet.data()).deepCopy(), packet.ackId());
    }
  }

  /** How many clients the sender's node sent a broadcast with acks to. */
  record BroadcastClientCount(String uid, String nsp, String requestId, int clientCount) implements LoopbackMessage {}

  /** One client's answer to a broadcast with acks. */
  record BroadcastAck(String uid, String nsp, String requestId, ArrayNode args) implements LoopbackMessage {
    public BroadcastAck {
      args = copy(args);
    }
  }

  /** Have the selected sockets join or leave {@code rooms}. */
  record SocketsJoinOrLeave(String uid, String nsp, BroadcastOptions options, Set<String> rooms, boolean join)
      implements LoopbackMessage {}

  /** Disconnect the selected sockets. */
  record DisconnectSockets(String uid, String nsp, BroadcastOptions options, boolean close) implements LoopbackMessage {}

  /** Which sockets do you have among these? */
  record FetchSockets(String uid, String nsp, BroadcastOptions options, String requestId) implements LoopbackMessage {}

  /** A node's sockets, as data. */
  record FetchSocketsResponse(String uid, String nsp, String requestId, List<SocketDetails> sockets)
      implements LoopbackMessage {
    public FetchSocketsResponse {
      sockets = sockets.stream()
          .map(d -> SocketDetails.of(d.id(), d.handshake().deepCopy(), d.rooms(), d.data().deepCopy()))
          .toList();
    }
  }

  /** An application's server-side event; with a {@code requestId}, answer it. */
  record ServerSideEmit(String uid, String nsp, ArrayNode packet, String requestId) implements LoopbackMessage {
    public ServerSideEmit {
      packet = copy(packet);
    }
  }

  /** A node's answer to a server-side event. */
  record ServerSideEmitResponse(String uid, String nsp, String requestId, ArrayNode args) implements LoopbackMessage {
    public ServerSideEmitResponse {
      args = copy(args);
    }
  }

  /** Which rooms have members on your node? */
  record AllRooms(String uid, String nsp, String requestId) implements LoopbackMessage {}

  /** A node's rooms. */
  record AllRoomsResponse(String uid, String nsp, String requestId, Set<String> rooms) implements LoopbackMessage {
    public AllRoomsResponse {
      rooms = Set.copyOf(rooms);
    }
  }
}
