package dev.switchboard.examples;

import dev.switchboard.engineio.WorkerPool;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpRouter;
import dev.switchboard.net.NetOptions;
import dev.switchboard.net.NetServer;
import dev.switchboard.scheduling.SystemScheduler;
import dev.switchboard.socketio.SocketIoServer;
import java.util.concurrent.ExecutorService;

/**
 * The README's "On a server of your own": Socket.IO attached to an application's own server, next
 * to its routes, on one port (compiled with the tests; {@code socketio.AttachTest} runs the same
 * arrangement against the official Java client).
 */
public final class AttachExample {
  private AttachExample() {}

  /** Serves {@code /hello} and Socket.IO on port 8080 until the JVM is stopped. */
  public static void main(String[] args) throws Exception {
    ExecutorService workers = WorkerPool.create("app-worker", 8);
    HttpRouter router = new HttpRouter(workers)
        .exact("/hello", ex -> ex.respond(HttpResponse.status(200).body("hi", "text/plain").build()));
    NetServer server = new NetServer(NetOptions.builder().port(8080).build(), router, workers,
        new SystemScheduler()).start();

    SocketIoServer io = new SocketIoServer();
    io.onConnection(socket -> socket.on("echo", (msg, ack) -> ack.send(msg.get(0))));
    io.attach(server, router); // /socket.io/ (polling and WebSocket) now goes to Socket.IO

    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      io.close();     // the sockets are disconnected and /socket.io/ unmounted...
      server.close(); // ...while the application's server and routes ran on until here
      workers.shutdown();
    }));
  }
}
