import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpHandler;
import dev.switchboard.net.NetOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Step 1 of the tutorial (README, "Examples"): a Socket.IO server without any authentication.
 * Every {@code message} a client sends goes to every connected client, the sender included.
 *
 * <pre>
 * mvn -q -B package -DskipTests
 * java -cp target/switchboard.jar examples/echo/EchoServer.java     # then open http://localhost:3000/
 * </pre>
 *
 * <p>Anyone who can reach the port can read and write every message, under no name at all: that is
 * the point of this step, and why the next ones exist. What we do differently from the tutorial's
 * step 1: only strings of at most 500 characters are relayed (anything else is answered with an
 * {@code error} event instead of being broadcast as it came), the page inserts messages as text,
 * never as HTML, and the server listens on loopback unless {@code HOST} says otherwise.
 *
 * <p>Threading: the handlers run on each client's own serial executor (spec-notes/threading.md);
 * {@code io.emit} may be called from there.
 */
public final class EchoServer {
  static final int MAX_MESSAGE = 500;

  /** Starts the server on {@code PORT} (3000) of {@code HOST} (127.0.0.1) and serves until Ctrl-C. */
  public static void main(String[] args) throws IOException {
    SocketIoServer io = new SocketIoServer();

    io.onConnection(socket -> {
      System.out.println("a client connected: " + socket.id());
      socket.on("message", (msg, ack) -> {
        String text = msg.isEmpty() || !msg.get(0).isTextual() ? null : msg.get(0).textValue();
        if (text == null || text.codePointCount(0, text.length()) > MAX_MESSAGE) {
          socket.emit("error", "A message is a string of at most " + MAX_MESSAGE + " characters");
          return;
        }
        io.emit("message", text); // to every client, the sender included, as the tutorial does
      });
      socket.onDisconnect(reason -> System.out.println("a client disconnected: " + socket.id() + " (" + reason + ")"));
    });

    servePage(io, Path.of("examples", "echo"));
    io.listen(NetOptions.builder().host(env("HOST", "127.0.0.1")).port(Integer.parseInt(env("PORT", "3000"))).build());
    System.out.println("listening on http://localhost:" + io.port() + "/");
    Runtime.getRuntime().addShutdownHook(new Thread(io::close));
  }

  // ------------------------------------------------------------------ the page

  /** A page that runs only files of this origin: no inline script, nothing from elsewhere. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  /**
   * {@code /} and {@code /client.js} from the example's folder (the command runs from the
   * repository root), {@code /socket.io.min.js} — the official client — from the jar.
   */
  static void servePage(SocketIoServer io, Path folder) throws IOException {
    io.route("/", file(read(folder.resolve("index.html")), "text/html; charset=utf-8"));
    io.route("/client.js", file(read(folder.resolve("client.js")), "text/javascript; charset=utf-8"));
    try (InputStream in = EchoServer.class.getClassLoader().getResourceAsStream("web/vendor/socket.io.min.js")) {
      if (in == null) throw new IOException("the socket.io-client bundle is not on the classpath: build the jar first");
      io.route("/socket.io.min.js", file(in.readAllBytes(), "text/javascript; charset=utf-8"));
    }
  }

  static byte[] read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " not found: run the example from the repository's root directory");
    }
    return Files.readAllBytes(file);
  }

  static HttpHandler file(byte[] body, String type) {
    return exchange -> {
      if (!exchange.request().method().equals("GET")) {
        exchange.respond(HttpResponse.status(405).header("Allow", "GET").body(new byte[0]).build());
        return;
      }
      exchange.respond(HttpResponse.status(200).header("Content-Type", type).header("Content-Security-Policy", CSP)
          .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-cache").body(body).build());
    };
  }

  static String env(String name, String otherwise) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? otherwise : v.strip();
  }
}
