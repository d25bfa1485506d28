package dev.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.cluster.ClusterMessage;
import dev.switchboard.cluster.ClusterMessageException;
import dev.switchboard.cluster.WireFields;
import dev.switchboard.cluster.WireVectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every message real Node nodes published through Redis (captured-messages.json, recorded with
 * MONITOR by conformance/cluster/capture-messages.mjs while two Node socket.io 4.8 nodes with each
 * adapter broadcast, acked, joined, fetched and emitted): each decodes to a record that means what
 * the adapter's own decoder read (its {@code decoded} field), encodes back to the very same bytes,
 * and went to the channel, stream or key our naming computes. One test per scenario, in the order
 * the nodes talked, so that answers are decoded with the requests they answer.
 */
class CapturedMessagesTest {
  private static final HexFormat HEX = HexFormat.of();

  private final ClassicCodec classic = new ClassicCodec();
  private final ShardedCodec sharded = new ShardedCodec();
  private final StreamsCodec streams = new StreamsCodec();

  @TestFactory
  Stream<DynamicNode> everyCapturedMessage() throws Exception {
    JsonNode file = WireVectors.load("captured-messages.json");
    assertEquals("8.3.0", file.get("versions").get("@socket.io/redis-adapter").asText());
    assertEquals("0.3.1", file.get("versions").get("@socket.io/redis-streams-adapter").asText());
    assertEquals("2.5.8", file.get("versions").get("socket.io-adapter").asText());
    List<DynamicNode> variants = new ArrayList<>();
    for (JsonNode variant : file.get("variants")) {
      String name = variant.get("name").asText();
      JsonNode options = variant.get("options");
      List<DynamicNode> scenarios = new ArrayList<>();
      Map<String, String> askers = new HashMap<>(); // request id → asking node, across scenarios
      for (JsonNode scenario : variant.get("scenarios")) {
        scenarios.add(DynamicTest.dynamicTest(scenario.get("name").asText(), () -> {
          for (JsonNode command : scenario.get("commands")) {
            if (name.startsWith("redis-streams")) streamsCommand(options, command, askers);
            else if (name.startsWith("redis-sharded")) shardedCommand(options, command, askers);
            else classicCommand(options, command, askers);
          }
        }));
      }
      variants.add(DynamicContainer.dynamicContainer(name, scenarios));
    }
    return variants.stream();
  }

  @Test
  void everyMessageTypeOfEveryAdapterIsInTheCapture() throws Exception {
    JsonNode file = WireVectors.load("captured-messages.json");
    List<String> seen = new ArrayList<>();
    for (JsonNode variant : file.get("variants")) {
      String adapter = variant.get("name").asText().split("[ ,]")[0];
      for (JsonNode scenario : variant.get("scenarios")) {
        for (JsonNode command : scenario.get("commands")) {
          JsonNode d = command.get("decoded");
          if (d == null) continue;
          if (d.isArray()) seen.add(adapter + " broadcast");
          else if (d.has("type") && d.has("uid") || d.has("type") && adapter.equals("redis")) {
            seen.add(adapter + " " + d.get("type").asInt());
          } else if (d.has("sid")) seen.add(adapter + " session");
          else seen.add(adapter + " answer " + String.join(",", (Iterable<String>) d::fieldNames));
        }
      }
    }
    for (String expected : List.of("redis broadcast", "redis 0", "redis 1", "redis 2", "redis 3", "redis 4", "redis 5",
        "redis 6", "redis 7", "redis 8", "redis 9", "redis answer requestId,sockets", "redis answer requestId,rooms",
        "redis answer requestId", "redis-sharded 3", "redis-sharded 4", "redis-sharded 5", "redis-sharded 6",
        "redis-sharded 7", "redis-sharded 8", "redis-sharded 9", "redis-sharded 10", "redis-sharded 11",
        "redis-sharded 12", "redis-streams 3", "redis-streams 4", "redis-streams 5", "redis-streams 6",
        "redis-streams 7", "redis-streams 8", "redis-streams 9", "redis-streams 10", "redis-streams 11",
        "redis-streams 12", "redis-streams session")) {
      assertTrue(seen.contains(expected), "the capture has " + expected + ": " + seen);
    }
  }

  @Test
  void streamNamesAreTheAdaptersOwnHashing() throws Exception {
    JsonNode file = WireVectors.load("captured-messages.json");
    int checked = 0;
    for (JsonNode row : file.get("streamNames")) {
      String nsp = row.get("nsp").asText();
      assertEquals(row.get("hashCode").asInt(), StreamsNames.hashCode(nsp), nsp);
      StreamsNames names = new StreamsNames("socket.io", row.get("streamCount").asInt(), "socket.io", "sio:session:");
      assertEquals(row.get("stream").asText(), names.streamFor(nsp), nsp);
      checked++;
    }
    assertTrue(checked >= 20, "rows: " + checked);
  }

  /**
   * Hostile peers, at random: every captured message with bytes replaced, cut, or repeated, fed to
   * the decoder of its adapter. Whatever comes out of a decoder is a record or a
   * ClusterMessageException — never another exception.
   */
  @Test
  void mutatedCapturesNeverThrowAnythingButClusterMessageException() throws Exception {
    JsonNode file = WireVectors.load("captured-messages.json");
    java.util.Random random = new java.util.Random(15);
    ClassicRequestType[] types = ClassicRequestType.values();
    int decoded = 0;
    int refused = 0;
    for (JsonNode variant : file.get("variants")) {
      String name = variant.get("name").asText();
      for (JsonNode scenario : variant.get("scenarios")) {
        for (JsonNode command : scenario.get("commands")) {
          String c = command.get("command").asText();
          if (!List.of("PUBLISH", "SPUBLISH", "XADD", "SET").contains(c)) continue;
          List<byte[]> args = args(command);
          for (int i = 0; i < 300; i++) {
            byte[] payload = mutate(c.equals("XADD") ? args.get(args.size() - 1) : args.get(1), random);
            try {
              if (name.startsWith("redis-streams")) {
                switch (c) {
                  case "XADD" -> {
                    Map<String, byte[]> fields = new LinkedHashMap<>();
                    for (int f = 5; f < args.size() - 1; f += 2) fields.put(text(args.get(f)), args.get(f + 1));
                    fields.put("data", payload);
                    streams.decodeEntry(fields);
                  }
                  case "SET" -> streams.decodeSession(payload);
                  default -> streams.decodePubSub(payload);
                }
              } else if (name.startsWith("redis-sharded")) {
                sharded.decode(payload);
              } else if (text(args.get(0)).startsWith("socket.io#")) {
                classic.decodeBroadcast(payload);
              } else if (text(args.get(0)).startsWith("socket.io-request#")) {
                classic.decodeRequest(payload);
              } else {
                ClassicRequestType pending = types[random.nextInt(8)];
                classic.decodeResponse(payload, id -> pending);
              }
              decoded++;
            } catch (ClusterMessageException expected) {
              refused++;
            }
          }
        }
      }
    }
    assertTrue(decoded > 1000 && refused > 10_000, "decoded " + decoded + ", refused " + refused);
  }

  private static byte[] mutate(byte[] original, java.util.Random random) {
    byte[] b = original.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int m = random.nextInt(3); m >= 0; m--) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
      case 2 -> {
        int at = random.nextInt(b.length);
        b[at] = (byte) (b[at] ^ (1 << random.nextInt(8)));
      }
      default -> {
        int from = random.nextInt(b.length);
        int to = from + random.nextInt(b.length - from);
        byte[] longer = new byte[b.length + (to - from)];
        System.arraycopy(b, 0, longer, 0, to);
        System.arraycopy(b, from, longer, to, b.length - from);
        b = longer;
      }
    }
    return b;
  }

  // ---------------------------------------------------------------------------------- the adapters

  private void classicCommand(JsonNode options, JsonNode command, Map<String, String> askers) {
    String key = options.get("key").asText();
    boolean specific = options.path("publishOnSpecificResponseChannel").asBoolean(false);
    List<byte[]> args = args(command);
    ClassicChannels root = new ClassicChannels(key, "/");
    switch (command.get("command").asText()) {
      case "PSUBSCRIBE" -> assertTrue(text(args.get(0)).matches(key + "#/(custom)?#\\*"), text(args.get(0)));
      case "SUBSCRIBE" -> {
        String nsp = text(args.get(0)).contains("/custom") ? "/custom" : "/";
        ClassicChannels ch = new ClassicChannels(key, nsp);
        assertEquals(ch.request(), text(args.get(0)));
        assertEquals(ch.response(), text(args.get(1)));
        assertTrue(text(args.get(2)).matches(java.util.regex.Pattern.quote(ch.response()) + "[A-Za-z0-9_-]{6}#"));
      }
      case "PUBLISH" -> {
        String channel = text(args.get(0));
        byte[] payload = args.get(1);
        JsonNode meaning = WireVectors.untag(command.get("decoded"));
        if (channel.startsWith(key + "#")) {
          ClassicBroadcast b = classic.decodeBroadcast(payload);
          ArrayNode tree = JsonNodeFactory.instance.arrayNode();
          tree.add(b.uid()).add(WireFields.packetTree(b.packet(), true)).add(b.opts().toTree(true));
          WireVectors.assertJsEquals(meaning, tree);
          assertArrayEquals(payload, classic.encode(b), "encodes back to the same bytes");
          ClassicChannels ch = new ClassicChannels(key, b.packet().namespace());
          assertEquals(ch.broadcastChannel(b.opts().rooms()), channel);
          assertEquals(b.opts().rooms().size() == 1 ? b.opts().rooms().get(0) : "", ch.roomOf(channel).orElseThrow());
        } else if (channel.equals(root.request())) {
          ClassicRequest r = classic.decodeRequest(payload);
          WireVectors.assertJsEquals(meaning, r.toTree());
          assertArrayEquals(payload, classic.encode(r), "encodes back to the same bytes");
          String requestId = requestIdOf(r);
          if (requestId != null) {
            askers.put(requestId, r.uid());
            askers.put("type:" + requestId, r.type().name());
          }
        } else {
          ClassicResponse a = classic.decodeResponse(payload,
              id -> askers.containsKey("type:" + id) ? ClassicRequestType.valueOf(askers.get("type:" + id)) : null);
          WireVectors.assertJsEquals(meaning, a.toTree());
          assertArrayEquals(payload, classic.encode(a), "encodes back to the same bytes");
          // The answer to a server-side emit always goes to the shared channel (lib/index.ts 415-422).
          boolean toAsker = specific && !(a instanceof ClassicResponse.ServerSideEmit);
          assertEquals(toAsker ? root.response(askers.get(a.requestId())) : root.response(), channel);
        }
      }
      case "PUBSUB" -> assertEquals(List.of("NUMSUB", root.request()), texts(args));
      default -> fail("unexpected " + command.get("command").asText() + " in the classic adapter's capture");
    }
  }

  private void shardedCommand(JsonNode options, JsonNode command, Map<String, String> askers) {
    String prefix = options.get("channelPrefix").asText();
    SubscriptionMode mode = SubscriptionMode.valueOf(options.get("subscriptionMode").asText().toUpperCase().replace('-', '_'));
    List<byte[]> args = args(command);
    switch (command.get("command").asText()) {
      case "SSUBSCRIBE", "SUNSUBSCRIBE" -> {
        String channel = text(args.get(0));
        ShardedChannels ch = new ShardedChannels(prefix, channel.startsWith(prefix + "#/custom#") ? "/custom" : "/", mode);
        assertTrue(channel.equals(ch.main()) || channel.matches(java.util.regex.Pattern.quote(ch.main()) + "[0-9a-f]{16}#")
            || channel.matches(java.util.regex.Pattern.quote(ch.main()) + "room[0-9]#") && mode != SubscriptionMode.STATIC,
            channel);
      }
      case "SPUBLISH" -> {
        String channel = text(args.get(0));
        byte[] payload = args.get(1);
        ClusterMessage m = sharded.decode(payload);
        WireVectors.assertJsEquals(WireVectors.untag(command.get("decoded")), m.toTree());
        assertArrayEquals(payload, sharded.encode(m), "encodes back to the same bytes");
        ShardedChannels ch = new ShardedChannels(prefix, m.nsp(), mode);
        assertEquals(m.type().isResponse() ? ch.response(askers.get(requestIdOf(m))) : ch.publishChannel(m), channel);
        rememberAsker(m, askers);
      }
      case "PUBSUB" -> assertEquals(List.of("SHARDNUMSUB", new ShardedChannels(prefix, "/", mode).main()), texts(args));
      default -> fail("unexpected " + command.get("command").asText() + " in the sharded adapter's capture");
    }
  }

  private void streamsCommand(JsonNode options, JsonNode command, Map<String, String> askers) {
    StreamsNames names = new StreamsNames(options.get("streamName").asText(), options.path("streamCount").asInt(1),
        options.get("channelPrefix").asText(), "sio:session:");
    boolean sharded = options.path("useShardedPubSub").asBoolean(false);
    List<byte[]> args = args(command);
    switch (command.get("command").asText()) {
      case "SUBSCRIBE" -> {
        String nsp = text(args.get(0)).contains("/custom") ? "/custom" : "/";
        assertFalse(sharded);
        assertEquals(names.publicChannel(nsp), text(args.get(0)));
        assertTrue(text(args.get(1)).matches(java.util.regex.Pattern.quote(names.publicChannel(nsp)) + "[0-9a-f]{16}#"));
      }
      case "SSUBSCRIBE" -> {
        assertTrue(sharded);
        String channel = text(args.get(0));
        String nsp = channel.contains("/custom") ? "/custom" : "/";
        assertTrue(channel.equals(names.publicChannel(nsp))
            || channel.matches(java.util.regex.Pattern.quote(names.publicChannel(nsp)) + "[0-9a-f]{16}#"), channel);
      }
      case "XADD" -> {
        // XADD <stream> MAXLEN ~ 10000 * field value ...
        assertEquals(List.of("MAXLEN", "~", "10000", "*"), texts(args.subList(1, 5)));
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (int i = 5; i < args.size(); i += 2) fields.put(text(args.get(i)), args.get(i + 1));
        ClusterMessage m = streams.decodeEntry(fields);
        JsonNode expected = WireVectors.untag(command.get("decoded"));
        WireVectors.assertJsEquals(expected.get("data"), m.dataTree());
        assertEquals(expected.get("uid").asText(), m.uid());
        assertEquals(expected.get("type").asInt(), m.type().number());
        assertFalse(StreamsCodec.isEphemeral(m), "lasting messages go through the stream");
        Map<String, byte[]> back = streams.encodeEntry(m);
        assertEquals(List.copyOf(fields.keySet()), List.copyOf(back.keySet()));
        for (String f : fields.keySet()) assertArrayEquals(fields.get(f), back.get(f), "field " + f + " encodes back");
        assertEquals(names.streamFor(m.nsp()), text(args.get(0)));
      }
      case "PUBLISH", "SPUBLISH" -> {
        assertEquals(sharded, command.get("command").asText().equals("SPUBLISH"));
        String channel = text(args.get(0));
        byte[] payload = args.get(1);
        ClusterMessage m = streams.decodePubSub(payload);
        WireVectors.assertJsEquals(WireVectors.untag(command.get("decoded")), m.toTree());
        assertArrayEquals(payload, streams.encodePubSub(m), "encodes back to the same bytes");
        assertTrue(StreamsCodec.isEphemeral(m), "ephemeral messages go through pub/sub");
        assertEquals(m.type().isResponse() ? names.privateChannel(m.nsp(), askers.get(requestIdOf(m)))
            : names.publicChannel(m.nsp()), channel);
        rememberAsker(m, askers);
      }
      case "SET" -> {
        // SET <sessionKeyPrefix><pid> <base64 MessagePack> PX <maxDisconnectionDuration>
        PersistedSession s = streams.decodeSession(args.get(1));
        WireVectors.assertJsEquals(WireVectors.untag(command.get("decoded")), s.toTree());
        assertArrayEquals(args.get(1), streams.encodeSession(s), "encodes back to the same bytes");
        assertEquals(names.sessionKey(s.pid()), text(args.get(0)));
        assertEquals(List.of("PX", "60000"), texts(args.subList(2, 4)));
        askers.put("session", names.sessionKey(s.pid()));
      }
      case "MULTI", "EXEC" -> assertTrue(args.isEmpty());
      case "GET", "DEL" -> assertEquals(askers.get("session"), text(args.get(0)));
      case "XRANGE" -> {
        // The restore: XRANGE <stream> <offset> <offset>, then from nextOffset(<last id>) to +.
        String start = text(args.get(1));
        assertTrue(StreamsNames.isOffset(start), start);
        if (text(args.get(2)).equals("+")) {
          assertNotNull(askers.get("offset"));
          assertTrue(start.endsWith("-1") || !start.equals(askers.get("offset")), start);
        } else {
          assertEquals(start, text(args.get(2)));
          assertTrue(start.endsWith("-0"), start);
          assertEquals(start.replaceAll("-0$", "-1"), StreamsNames.nextOffset(start));
          askers.put("offset", start);
        }
        assertEquals(names.streamFor("/"), text(args.get(0)));
      }
      case "PUBSUB" -> assertEquals(List.of(sharded ? "SHARDNUMSUB" : "NUMSUB", names.publicChannel("/")), texts(args));
      default -> fail("unexpected " + command.get("command").asText() + " in the streams adapter's capture");
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  private static void rememberAsker(ClusterMessage m, Map<String, String> askers) {
    String requestId = requestIdOf(m);
    if (requestId != null && !m.type().isResponse()) askers.put(requestId, m.uid());
  }

  private static String requestIdOf(ClusterMessage m) {
    if (m instanceof ClusterMessage.BroadcastWithAck b) return b.requestId();
    if (m instanceof ClusterMessage.FetchSockets f) return f.requestId();
    if (m instanceof ClusterMessage.ServerSideEmitWithAck s) return s.requestId();
    if (m instanceof ClusterMessage.FetchSocketsResponse r) return r.requestId();
    if (m instanceof ClusterMessage.ServerSideEmitResponse r) return r.requestId();
    if (m instanceof ClusterMessage.BroadcastClientCount r) return r.requestId();
    if (m instanceof ClusterMessage.BroadcastAck r) return r.requestId();
    return null;
  }

  private static String requestIdOf(ClassicRequest r) {
    if (r instanceof ClassicRequest.Sockets x) return x.requestId();
    if (r instanceof ClassicRequest.AllRooms x) return x.requestId();
    if (r instanceof ClassicRequest.LegacyRemoteJoin x) return x.requestId();
    if (r instanceof ClassicRequest.LegacyRemoteLeave x) return x.requestId();
    if (r instanceof ClassicRequest.LegacyRemoteDisconnect x) return x.requestId();
    if (r instanceof ClassicRequest.RemoteFetch x) return x.requestId();
    if (r instanceof ClassicRequest.ServerSideEmitWithAck x) return x.requestId();
    if (r instanceof ClassicRequest.BroadcastWithAck x) return x.requestId();
    assertInstanceOf(ClassicRequest.class, r);
    return null;
  }

  private static List<byte[]> args(JsonNode command) {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode a : command.get("args")) out.add(HEX.parseHex(a.get("hex").asText()));
    return out;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<byte[]> args) {
    return args.stream().map(CapturedMessagesTest::text).toList();
  }
}
