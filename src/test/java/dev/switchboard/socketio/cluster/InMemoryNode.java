package dev.switchboard.socketio.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.protocol.SocketIoDecoder;
import dev.switchboard.socketio.protocol.SocketIoEncoder;
import dev.switchboard.socketio.protocol.SocketIoLimits;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoPacketType;
import dev.switchboard.socketio.protocol.SocketIoProtocolException;
import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Switchboard server of a contract-test cluster, in memory: an {@link InMemorySocketIo} whose
 * clients are {@link FakeEngineIoConnection}s that decode what they are sent and answer acks as
 * told. Any adapter backend fits under it (a loopback bus, or real Redis).
 */
public final class InMemoryNode implements AdapterContractTest.Node {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InMemorySocketIo sio;
  private final List<String> serverSideEvents = Collections.synchronizedList(new ArrayList<>());

  public InMemoryNode(InMemorySocketIo sio) {
    this.sio = sio;
  }

  public InMemorySocketIo sio() {
    return sio;
  }

  @Override
  public AdapterContractTest.Client connect(String nsp) {
    sio.io().of(nsp);
    FakeEngineIoConnection c = sio.connect();
    InMemoryClient client = new InMemoryClient(c, nsp);
    c.onSend(client::onSend);
    client.id = c.connectTo(nsp);
    return client;
  }

  @Override
  public void onServerSideEmit(String event, Object answer) {
    sio.io().onServerSideEmit(event, (args, ack) -> {
      if (answer != null) ack.send(answer); // answered before recorded: see Node#onServerSideEmit
      serverSideEvents.add(event + " " + args);
    });
  }

  @Override
  public List<String> serverSideEvents() {
    synchronized (serverSideEvents) {
      return List.copyOf(serverSideEvents);
    }
  }

  /** A fake client: its wire output decoded, its ack answers given back as the client would. */
  private final class InMemoryClient implements AdapterContractTest.Client {
    private final FakeEngineIoConnection connection;
    private final String nsp;
    private final Map<String, Object> answers = new ConcurrentHashMap<>();
    volatile String id;

    InMemoryClient(FakeEngineIoConnection connection, String nsp) {
      this.connection = connection;
      this.nsp = nsp;
    }

    private Socket socket() {
      Socket s = sio.io().of(nsp).sockets().get(id);
      if (s == null) throw new AssertionError("socket " + id + " is not connected to " + nsp);
      return s;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public void join(String... rooms) {
      socket().join(rooms);
    }

    @Override
    public Set<String> rooms() {
      Socket s = sio.io().of(nsp).sockets().get(id);
      return s == null ? Set.of() : s.rooms();
    }

    @Override
    public void putData(String key, Object value) {
      socket().data().put(key, value);
    }

    @Override
    public JsonNode handshake() {
      return socket().handshake().toJson();
    }

    @Override
    public List<ArrayNode> received(String event) {
      List<ArrayNode> out = new ArrayList<>();
      for (SocketIoPacket p : decode(connection.sent())) {
        if (p.type() != SocketIoPacketType.EVENT && p.type() != SocketIoPacketType.BINARY_EVENT) continue;
        if (!p.namespace().equals(nsp) || !event.equals(p.data().path(0).asText())) continue;
        ArrayNode args = NODES.arrayNode();
        for (int i = 1; i < p.data().size(); i++) args.add(p.data().get(i));
        out.add(args);
      }
      return out;
    }

    @Override
    public void answer(String event, Object value) {
      answers.put(event, value);
    }

    @Override
    public boolean disconnectedByServer() {
      for (SocketIoPacket p : decode(connection.sent())) {
        if (p.type() == SocketIoPacketType.DISCONNECT && p.namespace().equals(nsp)) return true;
      }
      return false;
    }

    /** On the sending thread: a packet (with its attachments) the server sent; answer its ack if told to. */
    void onSend(List<String> wire) {
      for (SocketIoPacket p : decode(wire)) {
        if (p.ackId() < 0 || !p.namespace().equals(nsp)) continue;
        if (p.type() != SocketIoPacketType.EVENT && p.type() != SocketIoPacketType.BINARY_EVENT) continue;
        Object answer = answers.get(p.data().path(0).asText());
        if (answer == null) continue;
        JsonNode value = answer instanceof byte[] b ? BinaryNode.valueOf(b) : JSON.valueToTree(answer);
        SocketIoEncoder.Encoded ack = SocketIoEncoder.encode(SocketIoPacket.ack(nsp, NODES.arrayNode().add(value), p.ackId()));
        connection.receive(ack.text());
        for (byte[] attachment : ack.attachments()) connection.receive(attachment);
      }
    }
  }

  /** The packets of a run of wire messages ({@code <binary:…>} for attachments), as a client decodes them. */
  static List<SocketIoPacket> decode(List<String> wire) {
    SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS, SocketIoDecoder.Sender.SERVER);
    List<SocketIoPacket> out = new ArrayList<>();
    try {
      for (String m : wire) {
        SocketIoPacket p = m.startsWith("<binary:")
            ? decoder.add(HexFormat.of().parseHex(m.substring("<binary:".length(), m.length() - 1)))
            : decoder.add(m);
        if (p != null) out.add(p);
      }
    } catch (SocketIoProtocolException e) {
      throw new AssertionError("the server sent what a client cannot decode: " + wire, e);
    }
    return out;
  }
}
