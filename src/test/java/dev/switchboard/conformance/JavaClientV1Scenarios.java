package dev.switchboard.conformance;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The socket.io-client-java 1.0.2 scenarios of {@link JavaClientV1Test}. This class is compiled
 * against the 2.1.2 API on the test classpath but only ever runs in {@link JavaClientV1Test}'s
 * isolated class loader, where {@code io.socket.*} resolves to the 1.0.2 jars: so it uses only
 * what both versions have with the same signatures (no {@code auth}, no {@code extraHeaders}),
 * and of the project only {@code testing.Await} (plain Java) — no JUnit: {@link #apply} answers "OK" or
 * what went wrong.
 *
 * <p>The server is {@link Eio3ClientApp}.
 */
public final class JavaClientV1Scenarios implements BiFunction<String, String, String> {
  private static final long WAIT_S = 10;
  private final List<Socket> sockets = new ArrayList<>();

  /** Runs scenario {@code name} against {@code url}; "OK", or the failure. */
  @Override
  public String apply(String url, String name) {
    try {
      switch (name) {
        case "polling" -> connectAndExchange(url, "polling");
        case "websocket" -> connectAndExchange(url, "websocket");
        case "upgrade" -> upgrade(url);
        case "auth-header" -> authHeader(url);
        case "refused" -> refused(url);
        case "namespaces" -> namespaces(url);
        case "reconnection" -> reconnection(url);
        default -> throw new IllegalArgumentException("unknown scenario " + name);
      }
      return "OK";
    } catch (Throwable e) {
      java.io.StringWriter w = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(w));
      return "FAIL " + w;
    } finally {
      for (Socket s : sockets) s.close();
    }
  }

  private Socket client(String url, String query, boolean reconnection, String... transports) throws Exception {
    IO.Options o = new IO.Options();
    o.forceNew = true;
    o.reconnection = reconnection;
    o.reconnectionDelay = 50;
    o.reconnectionDelayMax = 100;
    o.transports = transports;
    o.query = query;
    Socket s = IO.socket(new URI(url), o);
    s.on("question", args -> ((Ack) args[args.length - 1]).call("yes to " + args[0]));
    sockets.add(s);
    return s;
  }

  private static CompletableFuture<Object[]> once(Socket s, String event) {
    CompletableFuture<Object[]> f = new CompletableFuture<>();
    s.once(event, f::complete);
    return f;
  }

  private static Object[] call(Socket s, String event, Object... args) throws Exception {
    CompletableFuture<Object[]> f = new CompletableFuture<>();
    s.emit(event, args, f::complete);
    return f.get(WAIT_S, TimeUnit.SECONDS);
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  private static void exchange(Socket s) throws Exception {
    byte[] payload = new byte[300];
    for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 7);
    Object[] answer = call(s, "bytes", (Object) payload);
    check(Arrays.toString(payload).equals(answer[0]), "bytes ack text: " + answer[0]);
    check(answer[1] instanceof byte[] b && Arrays.equals(b, payload), "bytes ack binary: " + answer[1]);
    Object[] asked = call(s, "ask", "tea?");
    check("client said yes to tea?".equals(asked[0]), "ask: " + asked[0]);
  }

  private void connectAndExchange(String url, String transport) throws Exception {
    Socket s = client(url + "/", "token=secret", false, transport);
    CompletableFuture<Object[]> welcome = once(s, "welcome");
    s.connect();
    Object[] w = welcome.get(WAIT_S, TimeUnit.SECONDS);
    check(transport.equals(w[0]) && Integer.valueOf(3).equals(w[1]), "welcome: " + Arrays.toString(w));
    exchange(s);
  }

  private void upgrade(String url) throws Exception {
    Socket s = client(url + "/", "token=secret", false, "polling", "websocket");
    CompletableFuture<Object[]> welcome = once(s, "welcome");
    s.connect();
    check("polling".equals(welcome.get(WAIT_S, TimeUnit.SECONDS)[0]), "first transport");
    // The client probes and switches on its own; the server's socket then reports the new transport.
    dev.switchboard.testing.Await.until("the server sees the socket on WebSocket", () -> {
      try {
        return "websocket".equals(call(s, "transport")[0]);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    exchange(s);
  }

  private void authHeader(String url) throws Exception {
    Socket s = client(url + "/", null, false, "polling");
    // socket.io-client-java 1.x has no extraHeaders: its documented way is the transport's
    // "requestHeaders" event, on every request.
    s.io().on("transport", args -> ((io.socket.emitter.Emitter) args[0]).on("requestHeaders", h -> {
      @SuppressWarnings("unchecked")
      Map<String, List<String>> headers = (Map<String, List<String>>) h[0];
      headers.put("Authorization", List.of("Bearer secret"));
    }));
    CompletableFuture<Object[]> welcome = once(s, "welcome");
    s.connect();
    check("polling".equals(welcome.get(WAIT_S, TimeUnit.SECONDS)[0]), "welcome");
    exchange(s);
  }

  private void refused(String url) throws Exception {
    // Socket.IO protocol 4: the ERROR packet carries the refusal's data, else its message. This
    // client's parser takes only a string there (an object fails to decode, against Node too), so
    // the refusal it can see is /admin's, which has no data.
    Socket s = client(url + "/admin", "token=wrong", false, "polling");
    CompletableFuture<Object[]> error = once(s, "error");
    s.connect();
    Object[] e = error.get(WAIT_S, TimeUnit.SECONDS);
    check("unauthorized".equals(e[0]), "error: " + Arrays.toString(e));
  }

  private void namespaces(String url) throws Exception {
    Socket admin = client(url + "/admin", "token=secret", false, "polling");
    CompletableFuture<Object[]> connected = once(admin, "connect");
    admin.connect();
    connected.get(WAIT_S, TimeUnit.SECONDS);
    Object[] answer = call(admin, "ping-admin");
    check("admin pong secret".equals(answer[0]), "ping-admin: " + answer[0]);
  }

  private void reconnection(String url) throws Exception {
    Socket s = client(url + "/", "token=secret", true, "websocket");
    CompletableFuture<Object[]> welcome = once(s, "welcome");
    s.connect();
    welcome.get(WAIT_S, TimeUnit.SECONDS);
    CompletableFuture<Object[]> reconnected = once(s, "reconnect");
    CompletableFuture<Object[]> welcomeAgain = once(s, "welcome");
    // The connection drops without a Socket.IO disconnect (as a network loss would): the
    // client's Engine.IO socket is closed under it, and the manager reconnects on its own.
    java.lang.reflect.Field engine = s.io().getClass().getDeclaredField("engine");
    engine.setAccessible(true);
    ((io.socket.engineio.client.Socket) engine.get(s.io())).close();
    reconnected.get(WAIT_S, TimeUnit.SECONDS);
    welcomeAgain.get(WAIT_S, TimeUnit.SECONDS);
    exchange(s);
  }
}
