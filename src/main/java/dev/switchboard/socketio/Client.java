package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineIoConnection;
import dev.switchboard.engineio.SessionHandler;
import dev.switchboard.scheduling.Cancellable;
import dev.switchboard.socketio.adapter.BroadcastFlags;
import dev.switchboard.socketio.adapter.Outgoing;
import dev.switchboard.socketio.protocol.PacketDecoder;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import dev.switchboard.socketio.protocol.SocketIoProtocol;
import dev.switchboard.socketio.protocol.SocketIoProtocolException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO connection seen by Socket.IO: it decodes packets, multiplexes them onto one
 * {@link Socket} per namespace, and closes the connection when the client breaks the protocol
 * (as Node's socket.io does) or joins no namespace within {@code connectTimeout}.
 *
 * <p>Threading: every method except {@link #send}/{@link #sendOutgoing} runs on the Engine.IO
 * session's serial executor.
 */
final class Client implements SessionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Client.class);

  private final SocketIoServer server;
  private final EngineIoConnection session;
  /** The server's parser ({@code SocketIoOptions.parser()}): the default one or MessagePack. */
  private final PacketDecoder decoder;
  /**
   * The sockets of this connection, one per namespace joined: nearly always one or two, so an
   * array searched by name rather than a HashMap (160 bytes with its table and node per idle
   * connection, BENCHMARKS.md "Missed: idle memory per 1 000 WebSocket clients").
   */
  private Socket[] sockets = NO_SOCKETS;
  /** Namespaces whose CONNECT is running its middlewares; null while there is none. */
  private Set<String> connecting;
  /** Until a namespace is joined; then {@link Cancellable#NONE}, so the cancelled JDK task is not kept. */
  private Cancellable connectTimer;
  private boolean closed;
  /**
   * CONNECTs refused on this connection, by a middleware or for an unknown namespace; capped at
   * {@link SocketIoOptions#maxFailedConnects()} (≤ 100). A byte: it fits beside {@link #closed} in
   * the object's alignment padding, so the object stays 40 bytes.
   */
  private byte failedConnects;

  private static final Socket[] NO_SOCKETS = {};
  /** socket.io-protocol §CONNECT_ERROR for a namespace that does not exist (Node's message). */
  private static final ConnectError INVALID_NAMESPACE = new ConnectError("Invalid namespace");

  Client(SocketIoServer server, EngineIoConnection session) {
    this.server = server;
    this.session = session;
    this.decoder = server.options().parser().newDecoder(server.options().limits());
    // socket.io-protocol §Connection to a namespace: a connection that never joins one is dropped.
    this.connectTimer = server.scheduler().schedule(server.options().connectTimeout(),
        () -> session.executor().execute(() -> {
          if (sockets.length == 0 && !closed) closeConnection(ClientCloseCause.CONNECT_TIMEOUT);
        }));
  }

  EngineIoConnection session() {
    return session;
  }

  /**
   * Executor, right after the handler is set: an Engine.IO protocol 3 client (socket.io-client
   * 2.x) speaks Socket.IO protocol 4, where the connection joins {@code /} without a CONNECT
   * packet (socket.io-protocol v4 §Exchange protocol › Connection to the default namespace: the
   * server sends CONNECT for "/" as soon as the connection is established, without being asked).
   * Its middlewares run as for any CONNECT; Node's {@code onconnection} does the same.
   */
  void connectMainNamespaceImplicitly() {
    onConnect(SocketIoProtocol.MAIN_NAMESPACE, null);
  }

  /** Whether this client speaks Socket.IO protocol 4 (it came over Engine.IO protocol 3). */
  private boolean isProtocol4() {
    return session.protocol() == 3;
  }

  // ------------------------------------------------------------------ incoming

  @Override
  public void onMessage(String text) {
    SocketIoPacket packet;
    try {
      packet = decoder.add(text);
    } catch (SocketIoProtocolException e) {
      onProtocolError(e);
      return;
    }
    if (packet != null) onPacket(packet);
  }

  @Override
  public void onBinary(byte[] data) {
    SocketIoPacket packet;
    try {
      packet = decoder.add(data);
    } catch (SocketIoProtocolException e) {
      onProtocolError(e);
      return;
    }
    if (packet != null) onPacket(packet);
  }

  private void onProtocolError(SocketIoProtocolException e) {
    // Node's socket.io closes the whole connection on a packet it cannot decode.
    LOG.debug("protocol error from client: {}", e.getMessage());
    closeConnection(ClientCloseCause.PROTOCOL_ERROR);
  }

  private void onPacket(SocketIoPacket packet) {
    if (closed) return;
    String nsp = packet.namespace();
    switch (packet.type()) {
      case CONNECT -> onConnect(nsp, packet.data());
      case DISCONNECT -> {
        Socket s = socket(nsp);
        if (s == null) {
          closeConnection(ClientCloseCause.NOT_JOINED); // hostile-inputs.md#D98
          return;
        }
        s.onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
      }
      case EVENT, BINARY_EVENT -> {
        Socket s = socket(nsp);
        if (s == null) {
          closeConnection(ClientCloseCause.NOT_JOINED); // hostile-inputs.md#D96
          return;
        }
        s.onEvent(packet);
      }
      case ACK, BINARY_ACK -> {
        Socket s = socket(nsp);
        if (s == null) {
          closeConnection(ClientCloseCause.NOT_JOINED);
          return;
        }
        s.onAck(packet);
      }
      // CONNECT_ERROR is server → client only (hostile-inputs.md#D99)
      default -> closeConnection(ClientCloseCause.CLIENT_CONNECT_ERROR);
    }
  }

  private void onConnect(String name, JsonNode authNode) {
    int query = isProtocol4() ? name.indexOf('?') : -1;
    if (query >= 0) {
      // socket.io-protocol v4 §Packet types › 0 - CONNECT: a 2.x client puts its query after the namespace
      // ("0/admin?token=x,"). Node hands those parameters to the middlewares as handshake.auth.
      ObjectNode fromQuery = queryAsAuth(name.substring(query + 1));
      String bare = name.substring(0, query);
      if (fromQuery == null) refuseConnect(bare, INVALID_NAMESPACE);
      else connectTo(bare, fromQuery);
      return;
    }
    connectTo(name, authNode);
  }

  private void connectTo(String name, JsonNode authNode) {
    if (socket(name) != null || (connecting != null && connecting.contains(name))) {
      // hostile-inputs.md#D97: never two sockets for one namespace on one connection.
      closeConnection(ClientCloseCause.DUPLICATE_CONNECT);
      return;
    }
    if (failedConnects >= server.options().maxFailedConnects()) {
      // hostile-inputs.md#D94: this connection had its refusals; a client that tries again gets
      // a new Engine.IO session (the official client reconnects on its own) and a new count.
      closeConnection(ClientCloseCause.TOO_MANY_FAILED_CONNECTS);
      return;
    }
    Namespace ns = server.lookupNamespace(name);
    if (ns == null) {
      // socket.io-protocol §CONNECT_ERROR; the connection stays usable (hostile-inputs.md#D94).
      refuseConnect(name, INVALID_NAMESPACE);
      return;
    }
    JsonNode auth = authNode instanceof ObjectNode ? authNode : Json.NODES.objectNode();
    if (connecting == null) connecting = new HashSet<>(4);
    connecting.add(name);
    server.connect(this, ns, auth, result -> { // on the session executor
      connecting.remove(name);
      if (connecting.isEmpty()) connecting = null;
      if (closed || !session.isOpen()) return;
      if (result.error() != null) {
        refuseConnect(name, result.error());
        return;
      }
      addSocket(result.socket());
      connectTimer.cancel();
      connectTimer = Cancellable.NONE;
      session.established(); // no longer counts against the unconnected sessions of its address
      server.completeConnect(this, ns, result);
    });
  }

  /** The parameters of a v4 CONNECT's query as an object (first value of each), or null if malformed. */
  private static ObjectNode queryAsAuth(String rawQuery) {
    dev.switchboard.http.QueryParameters q;
    try {
      q = dev.switchboard.http.QueryParameters.parse(rawQuery);
    } catch (dev.switchboard.http.HttpParseException e) {
      return null;
    }
    ObjectNode auth = Json.NODES.objectNode();
    for (int i = 0; i < q.size(); i++) {
      if (!auth.has(q.name(i))) auth.put(q.name(i), q.value(i));
    }
    return auth;
  }

  /**
   * Executor: answers a refused CONNECT (socket.io-protocol §CONNECT_ERROR; the connection stays
   * open, so the client may try again) and counts it. The CONNECT after
   * {@code maxFailedConnects} refusals closes the connection (in {@link #onConnect}); refusals of
   * CONNECTs that were already running their middlewares when the limit was reached close it here.
   */
  private void refuseConnect(String nsp, ConnectError error) {
    sendConnectError(nsp, error);
    if (failedConnects < Byte.MAX_VALUE) failedConnects++;
    if (failedConnects > server.options().maxFailedConnects()) closeConnection(ClientCloseCause.TOO_MANY_FAILED_CONNECTS);
  }

  /** Executor: whether this connection is still open, so connecting a socket to it is worth it. */
  boolean isOpen() {
    return !closed;
  }

  void sendConnectError(String nsp, ConnectError error) {
    if (isProtocol4()) {
      // socket.io-protocol v4 §Packet types › 4 - ERROR: the data alone, or the message as a JSON string (what
      // Node sends a 2.x client: err.data || err.message).
      JsonNode data;
      if (error == INVALID_NAMESPACE) {
        // Node answers an unknown namespace with {message} whatever the client's version.
        data = Json.NODES.objectNode().put("message", error.getMessage());
      } else {
        data = error.data() != null ? error.data() : Json.NODES.textNode(String.valueOf(error.getMessage()));
      }
      send(new SocketIoPacket(SocketIoPacketType.CONNECT_ERROR, nsp, data, -1), BroadcastFlags.NONE);
      return;
    }
    ObjectNode body = Json.NODES.objectNode();
    body.put("message", error.getMessage());
    if (error.data() != null) body.set("data", error.data());
    send(new SocketIoPacket(SocketIoPacketType.CONNECT_ERROR, nsp, body, -1), BroadcastFlags.NONE);
  }

  @Override
  public void onClose(CloseReason reason, String description) {
    closed = true;
    connectTimer.cancel();
    connectTimer = Cancellable.NONE;
    decoder.reset();
    // onClose removes each socket from the array, which is replaced, never changed in place.
    DisconnectReason why = DisconnectReason.of(reason);
    for (Socket s : sockets) s.onClose(why);
    sockets = NO_SOCKETS;
  }

  void remove(Socket socket) {
    Socket[] all = sockets;
    for (int i = 0; i < all.length; i++) {
      if (all[i] != socket) continue;
      Socket[] rest = new Socket[all.length - 1];
      System.arraycopy(all, 0, rest, 0, i);
      System.arraycopy(all, i + 1, rest, i, all.length - i - 1);
      sockets = rest;
      return;
    }
  }

  /** The socket joined to namespace {@code nsp}, or null. */
  private Socket socket(String nsp) {
    for (Socket s : sockets) {
      if (s.namespace().name().equals(nsp)) return s;
    }
    return null;
  }

  private void addSocket(Socket socket) {
    Socket[] all = java.util.Arrays.copyOf(sockets, sockets.length + 1);
    all[all.length - 1] = socket;
    sockets = all;
  }

  /**
   * Executor: the one way this layer closes the Engine.IO connection; every socket on it
   * disconnects ("forced server close"). Idempotent.
   */
  void closeConnection(ClientCloseCause cause) {
    if (closed) return;
    LOG.debug("closing the connection: {}", cause.description());
    server.countClose(cause);
    for (Socket s : sockets) s.onClose(DisconnectReason.FORCED_SERVER_CLOSE);
    sockets = NO_SOCKETS;
    closed = true;
    session.close();
  }

  // ------------------------------------------------------------------ outgoing (any thread)

  void send(SocketIoPacket packet, BroadcastFlags flags) {
    sendOutgoing(new Outgoing(server.options().parser().encode(packet), false, flags.compress()), flags);
  }

  /**
   * Session executor: the CONNECT answer, leaving once the task running now (the one that runs
   * the connection handlers) has ended; see {@link EngineIoConnection#sendAfterThisTask}.
   */
  void sendConnectAnswer(SocketIoPacket connect) {
    session.sendAfterThisTask(new Outgoing(server.options().parser().encode(connect), false, true).message());
  }

  void sendOutgoing(Outgoing packet, BroadcastFlags flags) {
    // A volatile packet is dropped when the client cannot take it right now (Node drops it when
    // the transport is not writable).
    session.send(packet.message(), flags.isVolatile());
  }
}
