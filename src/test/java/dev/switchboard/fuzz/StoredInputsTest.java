package dev.switchboard.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.http.HttpLimits;
import dev.switchboard.websocket.WebSocketLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the stored fuzz inputs honest: Jazzer only checks that they do not crash, so this test
 * checks that each means what its file name says. {@code valid-…} must decode without a refusal,
 * {@code hostile-…} must end in one (the entry number is from spec-notes/hostile-inputs.md),
 * {@code stall-…} must leave the decoder waiting for bytes that never come (the connection's read
 * timeout answers those); files Jazzer wrote itself ({@code crash-…}) are exempt.
 */
class StoredInputsTest {
  /** Inputs directory → what its target makes of an input, as one line holding "refused" or not. */
  private static final Map<String, Function<byte[], String>> TARGETS = Map.of(
      "HttpRequestParserFuzzTestInputs/givesRequestsOrARefusalWhateverTheBytesAndReads",
      data -> last(HttpRequestParserFuzzTest.parse(httpLimits(data), List.of(StreamInput.parse(data).stream()))),
      "EngineIoCodecFuzzTestInputs/decodesToPacketsThatEncodeBackToTheInput",
      data -> EngineIoCodecFuzzTest.outcomes(data).get(0),
      "SocketIoCodecFuzzTestInputs/decodesToPacketsThatSurviveARoundTrip",
      data -> SocketIoCodecFuzzTest.outcomes(data).get(0),
      "WebSocketFrameDecoderFuzzTestInputs/givesEventsOrACloseCodeWhateverTheBytesAndReads",
      data -> last(WebSocketFrameDecoderFuzzTest.decode(wsLimits(data), List.of(StreamInput.parse(data).stream()))),
      "WebSocketFrameDecoderFuzzTestInputs/acceptsATextMessageExactlyWhenItIsUtf8",
      WebSocketFrameDecoderFuzzTest::textOutcome);

  static Stream<Arguments> storedInputs() throws IOException, URISyntaxException {
    Stream.Builder<Arguments> out = Stream.builder();
    for (Map.Entry<String, Function<byte[], String>> target : TARGETS.entrySet()) {
      URL url = StoredInputsTest.class.getResource(target.getKey());
      if (url == null) throw new IllegalStateException("no stored inputs for " + target.getKey());
      try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
        for (Path file : files.sorted().toList()) {
          out.add(Arguments.of(target.getKey().replaceFirst("FuzzTestInputs/.*", "") + "/" + file.getFileName(), file, target.getValue()));
        }
      }
    }
    return out.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("storedInputs")
  void meansWhatItsNameSays(String name, Path file, Function<byte[], String> target) {
    String fileName = file.getFileName().toString();
    String outcome = target.apply(read(file));
    if (fileName.startsWith("valid-")) {
      assertFalse(outcome.contains("refused"), outcome);
    } else if (fileName.startsWith("hostile-")) {
      assertTrue(outcome.contains("refused"), outcome);
    } else if (fileName.startsWith("stall-")) {
      assertEquals("incomplete", outcome);
    } else {
      assertTrue(fileName.startsWith("crash-"), "stored inputs are named valid-…, hostile-…, stall-… or crash-…");
    }
  }

  @Test
  void controlByteChoosesLimitsAndChunking() {
    byte[] stream = {'a', 'b', 'c'};
    assertEquals(List.of(), StreamInput.parse(with('@', stream)).chunkings(), "@ = whole only");
    assertTrue(StreamInput.parse(with('A', stream)).tinyLimits());
    assertEquals(3, StreamInput.parse(with('B', stream)).chunkings().get(0).size(), "B = one byte at a time");
    assertEquals(2, StreamInput.parse(with('F', stream)).chunkings().size(), "F = split at every index");
    byte[] joined = concat(StreamInput.parse(with('D', stream)).chunkings().get(0));
    assertEquals(new String(stream), new String(joined), "D = random pieces of the same bytes");
  }

  private static byte[] with(char control, byte[] stream) {
    byte[] out = new byte[stream.length + 1];
    out[0] = (byte) control;
    System.arraycopy(stream, 0, out, 1, stream.length);
    return out;
  }

  private static byte[] concat(List<byte[]> pieces) {
    int n = 0;
    for (byte[] p : pieces) n += p.length;
    byte[] out = new byte[n];
    int i = 0;
    for (byte[] p : pieces) {
      System.arraycopy(p, 0, out, i, p.length);
      i += p.length;
    }
    return out;
  }

  private static HttpLimits httpLimits(byte[] data) {
    return StreamInput.parse(data).tinyLimits() ? HttpRequestParserFuzzTest.TINY : HttpLimits.DEFAULTS;
  }

  private static WebSocketLimits wsLimits(byte[] data) {
    return StreamInput.parse(data).tinyLimits() ? WebSocketFrameDecoderFuzzTest.TINY : WebSocketLimits.DEFAULTS;
  }

  private static String last(List<String> outcomes) {
    return outcomes.isEmpty() ? "" : outcomes.get(outcomes.size() - 1);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
