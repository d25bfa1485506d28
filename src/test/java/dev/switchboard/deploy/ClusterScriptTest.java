package dev.switchboard.deploy;

import static dev.switchboard.testing.LocalResources.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Await;
import dev.switchboard.testing.NodeScripts;
import dev.switchboard.testing.RawHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/cluster.sh} for real: redis-server, three chat-server nodes (this build's classes,
 * through its {@code NODE_CMD} setting, since the jar is built after the tests) and HAProxy with
 * {@code deploy/haproxy.cfg}; the nodes are clustered on that Redis (each counts three servers);
 * then SIGTERM, as Ctrl-C would, stops every process it started.
 */
class ClusterScriptTest {
  private static final Pattern REDIS_URL = Pattern.compile("redis://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern SERVERID = Pattern.compile("SERVERID=(node\\d)");

  @Test
  void startsRedisThreeNodesAndHaproxyAndStopsThemAll(@TempDir Path runDir) throws Exception {
    int proxyPort = freePort();
    Path log = runDir.resolve("cluster.out");
    ProcessBuilder pb = new ProcessBuilder("bash", NodeScripts.projectDir().resolve("deploy/cluster.sh").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("PROXY_PORT", Integer.toString(proxyPort));
    pb.environment().put("RUN_DIR", runDir.toString());
    pb.environment().put("NODE_CMD", String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", testClassPath(), "dev.switchboard.cli.Main"));
    Process script = pb.start();
    try {
      // The script gives up on each start by itself (60 s for a node); this deadline is above that.
      Await.until("cluster.sh up", Duration.ofSeconds(120),
          () -> read(log).contains("Ctrl-C stops everything") || !script.isAlive());
      String output = read(log);
      assertTrue(output.contains("Ctrl-C stops everything"), "cluster.sh did not come up:\n" + output);
      List<ProcessHandle> started = script.descendants().toList();
      assertEquals(5, started.stream().filter(p -> p.parent().map(script.toHandle()::equals).orElse(false)).count(),
          "redis-server, three nodes and haproxy: " + output);

      // HAProxy in front of three healthy nodes: three new clients, one on each node.
      Set<String> nodes = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        RawHttpClient.Response r = RawHttpClient.request(proxyPort, "GET", "/socket.io/?EIO=4&transport=polling", null);
        assertEquals(200, r.status(), r.bodyText());
        Matcher m = SERVERID.matcher(String.valueOf(r.header("Set-Cookie")));
        assertTrue(m.find(), r.headers().toString());
        nodes.add(m.group(1));
      }
      assertEquals(Set.of("node1", "node2", "node3"), nodes);
      assertEquals(200, RawHttpClient.request(proxyPort, "GET", "/healthz", null).status());
      Matcher redis = REDIS_URL.matcher(output);
      assertTrue(redis.find(), output);
      assertTrue(answersPing(Integer.parseInt(redis.group(1))), "redis-server answers on the printed URL");
      // Clustered: every node (round robin, no cookie) counts the three servers on Redis. The
      // count is the last one seen, refreshed by each scrape: wait for it rather than expect it.
      Await.until("each node counts three servers", Duration.ofSeconds(20), () -> {
        int counting = 0; // three requests in a row: one per node
        for (int i = 0; i < 3; i++) {
          String metrics;
          try {
            metrics = RawHttpClient.request(proxyPort, "GET", "/metrics", null).bodyText();
          } catch (IOException e) {
            return false;
          }
          if (metrics.contains("\nswitchboard_cluster_server_count 3\n")) counting++;
        }
        return counting == 3;
      });

      script.destroy(); // SIGTERM: the same stop as Ctrl-C
      assertTrue(script.waitFor(30, TimeUnit.SECONDS), "cluster.sh did not stop:\n" + read(log));
      assertTrue(read(log).contains("stopped; logs are in " + runDir), read(log));
      for (ProcessHandle p : started) {
        p.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(p.isAlive(), p + " still runs");
      }
    } finally {
      script.descendants().forEach(ProcessHandle::destroyForcibly);
      script.destroyForcibly();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean answersPing(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] b = new byte[5];
      return in.readNBytes(b, 0, 5) == 5 && new String(b, StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** The forked test JVM's real class path (surefire puts a manifest-only jar on java.class.path). */
  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

}
