package dev.switchboard.net;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.switchboard.engineio.EngineIoHost;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.WorkerPool;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.Await;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A start on a port that is taken throws and leaves nothing behind (issue #14's leftover): no
 * open file descriptor (the listening channel, each I/O loop's selector) and no thread (loops,
 * workers, timers). Isolated: the counts are the whole JVM's.
 */
@Isolated
class FailedBindTest {
  private static final int ATTEMPTS = 40;

  private static long openFds() {
    return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
  }

  private static long switchboardThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("switchboard-")).count();
  }

  @Test
  void bindingATakenPortManyTimesLeaksNoDescriptorAndNoThread() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      NetOptions options = NetOptions.builder().host("127.0.0.1").port(taken.getLocalPort()).ioThreads(4).build();
      ExecutorService workers = WorkerPool.create("bind-test-worker", 2);
      try (SystemScheduler clock = new SystemScheduler()) {
        // Once before measuring, so that lazily loaded JDK machinery is not counted as a leak.
        assertThrows(IOException.class, () -> new NetServer(options, new HttpRouter(workers), workers, clock).start());
        long fdsBefore = openFds();
        long threadsBefore = switchboardThreads();
        for (int i = 0; i < ATTEMPTS; i++) {
          assertThrows(IOException.class, () -> new NetServer(options, new HttpRouter(workers), workers, clock).start());
          assertThrows(IOException.class, () -> EngineIoHost.start(options, EngineIoOptions.DEFAULTS, s -> { }, null, null));
          try (SocketIoServer io = new SocketIoServer()) {
            assertThrows(IOException.class, () -> io.listen(options));
          }
        }
        // Each attempt used to keep the channel and four selectors (two descriptors each).
        long fdsAfter = openFds();
        assertTrue(fdsAfter <= fdsBefore + 4, "open descriptors " + fdsBefore + " -> " + fdsAfter);
        Await.until("every thread of the failed starts to end", () -> switchboardThreads() <= threadsBefore);
      } finally {
        workers.shutdownNow();
      }
    }
  }
}
