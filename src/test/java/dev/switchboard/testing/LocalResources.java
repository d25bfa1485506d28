package dev.switchboard.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What every harness that starts a real server (Redis, PostgreSQL, HAProxy, cluster.sh) needs from
 * the machine: a free loopback port, and its temporary directory removed afterwards.
 *
 * <p>Threading: any thread.
 */
public final class LocalResources {
  private LocalResources() {}

  /** A loopback port nothing listens on right now (the OS picks it; tests never use fixed ports). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Deletes {@code dir} and everything under it, as far as it can: a temporary directory. */
  /**
   * Closes each resource that is not null, in order, going on past one that fails: the end of an
   * {@code @AfterAll} that started several servers, where a failure to close is not the test's.
   */
  public static void closeAll(AutoCloseable... resources) {
    for (AutoCloseable c : resources) {
      try {
        if (c != null) c.close();
      } catch (Exception ignored) {
        // best effort: the other resources must still be closed
      }
    }
  }

  public static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; nothing else to do
    }
  }
}
