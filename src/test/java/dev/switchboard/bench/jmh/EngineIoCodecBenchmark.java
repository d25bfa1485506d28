package dev.switchboard.bench.jmh;

import dev.switchboard.engineio.protocol.EngineIoPacket;
import dev.switchboard.engineio.protocol.EngineIoPacketCodec;
import dev.switchboard.engineio.protocol.EngineIoPayloadCodec;
import dev.switchboard.engineio.protocol.EngineIoProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Engine.IO v4 codec: one packet over WebSocket (text and binary), and a polling payload of ten
 * packets joined by the record separator. Run with {@code bench/jmh.sh EngineIo}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineIoCodecBenchmark {
  static final String EVENT = "42[\"echo\",{\"c\":12,\"n\":345,\"s\":\"hello-switchboard-0123456789\"}]";

  String textFrame;
  byte[] binaryFrame;
  EngineIoPacket message;
  EngineIoPacket binaryMessage;
  String payload;
  List<EngineIoPacket> packets;
  byte[] payloadUtf8;

  @Setup
  public void setUp() {
    textFrame = "4" + EVENT;
    binaryFrame = new byte[256];
    for (int i = 0; i < binaryFrame.length; i++) binaryFrame[i] = (byte) i;
    message = EngineIoPacket.message(EVENT);
    binaryMessage = EngineIoPacket.message(binaryFrame);
    packets = new ArrayList<>();
    for (int i = 0; i < 10; i++) packets.add(EngineIoPacket.message(EVENT.replace("345", String.valueOf(i))));
    packets.add(EngineIoPacket.message(binaryFrame));
    payload = EngineIoPayloadCodec.encode(packets);
    payloadUtf8 = payload.getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public EngineIoPacket decodeTextPacket() throws EngineIoProtocolException {
    return EngineIoPacketCodec.decodeText(textFrame);
  }

  @Benchmark
  public String encodeTextPacket() {
    return EngineIoPacketCodec.encodeText(message);
  }

  @Benchmark
  public EngineIoPacket decodeBinaryPacket() {
    return EngineIoPacketCodec.decodeBinary(binaryFrame);
  }

  @Benchmark
  public byte[] encodeBinaryPacket() {
    return EngineIoPacketCodec.encodeBinary(binaryMessage);
  }

  /** A POST body as it arrives: strict UTF-8 decoding, then the payload split into packets. */
  @Benchmark
  public void decodePayload11(Blackhole bh) throws EngineIoProtocolException {
    String body = EngineIoPayloadCodec.decodeUtf8Strict(payloadUtf8, 0, payloadUtf8.length);
    EngineIoPayloadCodec.decode(body, bh::consume);
  }

  @Benchmark
  public String encodePayload11() {
    return EngineIoPayloadCodec.encode(packets);
  }
}
