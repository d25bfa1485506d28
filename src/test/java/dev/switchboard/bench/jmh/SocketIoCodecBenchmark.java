package dev.switchboard.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.socketio.protocol.SocketIoDecoder;
import dev.switchboard.socketio.protocol.SocketIoEncoder;
import dev.switchboard.socketio.protocol.SocketIoLimits;
import dev.switchboard.socketio.protocol.SocketIoPacket;
import dev.switchboard.socketio.protocol.SocketIoProtocolException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Socket.IO v5 codec: the benchmark's own packets — an {@code echo} EVENT with an ack id as the
 * server decodes it, the ACK it encodes, a 1 000-recipient {@code bcast} EVENT (encoded once per
 * broadcast), and a BINARY_EVENT with one 1 KiB attachment both ways. Run with {@code bench/jmh.sh SocketIo}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SocketIoCodecBenchmark {
  static final String PAYLOAD = "{\"c\":12,\"n\":345,\"s\":\"hello-switchboard-0123456789\"}";

  SocketIoDecoder decoder;
  String eventText;
  SocketIoPacket ack;
  SocketIoPacket broadcast;
  SocketIoPacket binaryEvent;
  String binaryHeader;
  byte[] attachment;

  @Setup
  public void setUp() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNodeFactory f = JsonNodeFactory.instance;
    decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
    eventText = "21[\"echo\"," + PAYLOAD + "]";
    ArrayNode ackData = f.arrayNode().add(mapper.readTree(PAYLOAD));
    ack = SocketIoPacket.ack("/", ackData, 1);
    ArrayNode bcast = f.arrayNode().add("bcast").add(mapper.readTree("{\"b\":17,\"p\":\"" + "x".repeat(64) + "\"}"));
    broadcast = SocketIoPacket.event("/", bcast);
    attachment = new byte[1024];
    for (int i = 0; i < attachment.length; i++) attachment[i] = (byte) (i * 31);
    ObjectNode withBinary = f.objectNode().put("tag", "binary");
    withBinary.set("bin", BinaryNode.valueOf(attachment));
    binaryEvent = SocketIoPacket.event("/", f.arrayNode().add("echo").add(withBinary), 7);
    binaryHeader = SocketIoEncoder.encode(binaryEvent).text();
  }

  @Benchmark
  public SocketIoPacket decodeEventWithAck() throws SocketIoProtocolException {
    return decoder.add(eventText);
  }

  @Benchmark
  public SocketIoEncoder.Encoded encodeAck() {
    return SocketIoEncoder.encode(ack);
  }

  @Benchmark
  public SocketIoEncoder.Encoded encodeBroadcastEvent() {
    return SocketIoEncoder.encode(broadcast);
  }

  @Benchmark
  public SocketIoEncoder.Encoded encodeBinaryEvent() {
    return SocketIoEncoder.encode(binaryEvent);
  }

  /** The header, then the attachment that completes the packet. */
  @Benchmark
  public SocketIoPacket decodeBinaryEvent() throws SocketIoProtocolException {
    if (decoder.add(binaryHeader) != null) throw new IllegalStateException("header decoded as a whole packet");
    return decoder.add(attachment);
  }
}
