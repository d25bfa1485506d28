package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.adapter.SocketDetails;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket of this server as an adapter reports it for {@code fetchSockets}: the live socket
 * behind it (which the server hands to the application), and its JSON built only when an adapter
 * asks — to answer another node. Any thread.
 */
final class LocalSocketDetails implements SocketDetails {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSocketDetails.class);

  final Socket socket;

  LocalSocketDetails(Socket socket) {
    this.socket = socket;
  }

  @Override
  public String id() {
    return socket.id();
  }

  @Override
  public JsonNode handshake() {
    return socket.handshake().toJson();
  }

  @Override
  public Set<String> rooms() {
    return socket.rooms();
  }

  /** The data as JSON; an object with what could not be converted left out (and logged once per call). */
  @Override
  public JsonNode data() {
    com.fasterxml.jackson.databind.node.ObjectNode out = Json.NODES.objectNode();
    socket.data().forEach((k, v) -> {
      try {
        out.set(k, Json.toNode(v));
      } catch (IllegalArgumentException e) {
        LOG.debug("socket data '{}' cannot be written as JSON; left out of fetchSockets", k);
      }
    });
    return out;
  }
}
