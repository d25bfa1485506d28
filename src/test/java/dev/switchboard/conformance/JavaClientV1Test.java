package dev.switchboard.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.NodeScripts;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * socket.io-client-java 1.0.2 (Engine.IO 3, Socket.IO protocol 4), the client of older Android
 * apps, against a server with {@code allowEIO3} (issue #12): polling, WebSocket, the upgrade, acks
 * both ways with binary, a refused handshake, a namespace with its CONNECT query, the token in an
 * {@code Authorization} header, and reconnection.
 *
 * <p>1.0.2 and the 2.1.2 test dependency share their Maven coordinates, so 1.0.2 cannot be on the
 * test class path. The pom copies its jars (with engine.io-client 1.0.2, okhttp 3.12, okio 1.15
 * and org.json 20090211) to {@code target/socket.io-client-java-1.0.2/}; here a class loader whose
 * parent is the platform loader sees only them and the test classes, so
 * {@link JavaClientV1Scenarios} links against 1.0.2.
 */
class JavaClientV1Test {
  private static URLClassLoader loader;
  private static BiFunction<String, String, String> scenarios;
  private SocketIoServer io;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void loadTheOldClient() throws Exception {
    Path jars = NodeScripts.projectDir().resolve("target/socket.io-client-java-1.0.2");
    assertTrue(Files.isDirectory(jars), jars + " is missing: the pom's maven-dependency-plugin copies it (mvn test-compile)");
    List<URL> urls = new ArrayList<>();
    urls.add(JavaClientV1Scenarios.class.getProtectionDomain().getCodeSource().getLocation());
    try (Stream<Path> files = Files.list(jars)) {
      for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) urls.add(jar.toUri().toURL());
    }
    loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    Class<?> c = Class.forName(JavaClientV1Scenarios.class.getName(), true, loader);
    assertEquals(loader, Class.forName("io.socket.client.IO", false, loader).getClassLoader(), "io.socket from the 1.0.2 jars");
    scenarios = (BiFunction<String, String, String>) c.getConstructor().newInstance();
    // The client logs every reconnection attempt through java.util.logging.
    Logger.getLogger("io.socket").setLevel(Level.SEVERE);
  }

  @AfterAll
  static void close() throws Exception {
    loader.close();
  }

  @BeforeEach
  void start() throws Exception {
    io = Eio3ClientApp.start();
  }

  @AfterEach
  void stop() {
    io.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"polling", "websocket", "upgrade", "auth-header", "refused", "namespaces", "reconnection"})
  void scenario(String name) {
    assertEquals("OK", scenarios.apply("http://127.0.0.1:" + io.port(), name));
  }
}
