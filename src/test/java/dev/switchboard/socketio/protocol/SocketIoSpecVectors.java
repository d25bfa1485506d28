package dev.switchboard.socketio.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import dev.switchboard.socketio.protocol.SocketIoDecoder.Sender;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Wire vectors copied from the socket.io-protocol README (v5), each with the section it comes
 * from, for both encoder and decoder tests.
 */
final class SocketIoSpecVectors {
  private SocketIoSpecVectors() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An array parsed from {@code text} whose element {@code index} is replaced by binary data. */
  static ArrayNode withBinary(String text, int index, byte... bytes) {
    ArrayNode array = (ArrayNode) json(text);
    array.set(index, BinaryNode.valueOf(bytes));
    return array;
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
    return out;
  }

  /** A row: label, who sends it, the wire text, its attachments, the packet. */
  record Vector(String label, Sender sender, String text, List<byte[]> attachments, SocketIoPacket packet) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static Arguments row(String label, Sender sender, String text, SocketIoPacket packet, byte[]... attachments) {
    return Arguments.of(new Vector(label, sender, text, List.of(attachments), packet));
  }

  static Stream<Arguments> all() {
    Sender client = Sender.CLIENT;
    Sender server = Sender.SERVER;
    return Stream.of(
        // socket.io-protocol §Packet encoding › Examples › Connection to a namespace
        row("CONNECT main namespace without auth (Examples)", client, "0",
            SocketIoPacket.connect("/", null)),
        row("CONNECT reply with sid on /admin (Examples)", server, "0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}",
            SocketIoPacket.connect("/admin", json("{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}"))),
        row("CONNECT_ERROR Not authorized (Examples)", server, "4{\"message\":\"Not authorized\"}",
            SocketIoPacket.connectError("/", json("{\"message\":\"Not authorized\"}"))),
        // socket.io-protocol §Connection to a namespace: "with an additional payload"
        row("CONNECT /admin with auth (Connection to a namespace)", client, "0/admin,{\"token\":\"123\"}",
            SocketIoPacket.connect("/admin", json("{\"token\":\"123\"}"))),
        row("CONNECT main namespace with auth (Connection to a namespace)", client, "0{\"token\":\"123\"}",
            SocketIoPacket.connect("/", json("{\"token\":\"123\"}"))),
        // socket.io-protocol §Sample session: "40/admin," and the sid reply
        row("CONNECT /admin without auth (Sample session)", client, "0/admin,",
            SocketIoPacket.connect("/admin", null)),
        row("CONNECT reply on main namespace (Sample session)", server, "0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}",
            SocketIoPacket.connect("/", json("{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}"))),
        // socket.io-protocol §Packet encoding › Examples › Sending and receiving data
        row("EVENT main namespace (Examples)", client, "2[\"foo\"]",
            SocketIoPacket.event("/", json("[\"foo\"]"))),
        row("EVENT /admin (Examples)", server, "2/admin,[\"bar\"]",
            SocketIoPacket.event("/admin", json("[\"bar\"]"))),
        row("BINARY_EVENT one attachment (Examples)", client, "51-[\"baz\",{\"_placeholder\":true,\"num\":0}]",
            SocketIoPacket.event("/", withBinary("[\"baz\",0]", 1, bytes(1, 2, 3, 4))), bytes(1, 2, 3, 4)),
        row("BINARY_EVENT two attachments on /admin (Examples)", client,
            "52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
            SocketIoPacket.event("/admin", twoBinaries()), bytes(1, 2), bytes(3, 4)),
        // socket.io-protocol §Packet encoding › Examples › Acknowledgement
        row("EVENT with ack id 12 (Examples)", client, "212[\"foo\"]",
            SocketIoPacket.event("/", json("[\"foo\"]"), 12)),
        row("ACK /admin id 13 (Examples; the README shows a stray backtick)", client, "3/admin,13[\"bar\"]",
            SocketIoPacket.ack("/admin", json("[\"bar\"]"), 13)),
        row("BINARY_ACK id 15 (Examples)", client, "61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]",
            SocketIoPacket.ack("/", withBinary("[\"bar\",0]", 1, bytes(1, 2, 3, 4)), 15), bytes(1, 2, 3, 4)),
        // socket.io-protocol §Acknowledgement examples
        row("ACK with empty array id 12 (Acknowledgement)", server, "312[]",
            SocketIoPacket.ack("/", json("[]"), 12)),
        row("EVENT /admin with ack id 13 (Acknowledgement)", server, "2/admin,13[\"foo\"]",
            SocketIoPacket.event("/admin", json("[\"foo\"]"), 13)),
        row("BINARY_EVENT with ack id 14 (Acknowledgement)", client, "51-14[\"foo\",{\"_placeholder\":true,\"num\":0}]",
            SocketIoPacket.event("/", withBinary("[\"foo\",0]", 1, bytes(1, 2, 3, 4)), 14), bytes(1, 2, 3, 4)),
        // socket.io-protocol §Sample session
        row("EVENT /admin with ack id 1 (Sample session)", client, "2/admin,1[\"tellme\"]",
            SocketIoPacket.event("/admin", json("[\"tellme\"]"), 1)),
        row("BINARY_ACK /admin id 1 (Sample session)", server, "61-/admin,1[{\"_placeholder\":true,\"num\":0}]",
            SocketIoPacket.ack("/admin", withBinary("[0]", 0, bytes(9)), 1), bytes(9)),
        row("EVENT hey Jude (Sample session)", server, "2[\"hey\",\"Jude\"]",
            SocketIoPacket.event("/", json("[\"hey\",\"Jude\"]"))),
        // socket.io-protocol §Packet encoding › Examples › Disconnection from a namespace
        row("DISCONNECT main namespace (Examples)", client, "1", SocketIoPacket.disconnect("/")),
        row("DISCONNECT /admin (Examples)", client, "1/admin,", SocketIoPacket.disconnect("/admin")));
  }

  private static ArrayNode twoBinaries() {
    ArrayNode array = withBinary("[\"baz\",0,0]", 1, bytes(1, 2));
    array.set(2, BinaryNode.valueOf(bytes(3, 4)));
    return array;
  }
}
