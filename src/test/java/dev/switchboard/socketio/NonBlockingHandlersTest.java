package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.net.NetOptions;
import dev.switchboard.scheduling.SerialExecutor;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.SocketIoTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineIoOptions#nonBlockingHandlers()} on a real server (spec-notes/threading.md,
 * "Non-blocking handlers"): a WebSocket message that finds its session idle is handled on the I/O
 * thread that read it; one that finds work queued or running waits for it on the workers; order
 * and answers are those of the default mode. Off (the default), handlers never see an I/O thread.
 */
class NonBlockingHandlersTest {
  private static final int PIPELINED = 500;

  private static SocketIoServer server(boolean nonBlocking, List<String> threads, List<Integer> order) {
    SocketIoServer io = new SocketIoServer(SocketIoOptions.builder()
        .net(NetOptions.builder().host("127.0.0.1").build())
        .engine(EngineIoOptions.builder().nonBlockingHandlers(nonBlocking).build())
        .build());
    io.onConnection(socket -> socket.on("echo", (args, ack) -> {
      threads.add(Thread.currentThread().getName());
      order.add(args.get(0).asInt());
      ack.send(args.get(0));
    }));
    return io;
  }

  @Test
  void onAnIdleSessionEachMessageRunsOnTheIoThreadThatReadIt() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    List<Integer> order = new CopyOnWriteArrayList<>();
    AtomicReference<SerialExecutor> sessionExecutor = new AtomicReference<>();
    try (SocketIoServer io = server(true, threads, order)) {
      io.onConnection(socket -> sessionExecutor.set((SerialExecutor) socket.executor()));
      io.listen(0);
      try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null)) {
        Await.until("the connection handler", () -> sessionExecutor.get() != null);
        for (int i = 0; i < 50; i++) {
          // one at a time, each sent once the session is idle: the ack is written from inside
          // the handler, so without this wait a message may arrive while the last task (or the
          // CONNECT's) is still finishing, and then it rightly waits for it on a worker
          Await.until("the session's executor to be idle", sessionExecutor.get()::isIdle);
          assertEquals(i, c.emitWithAck("echo", i).asInt());
        }
      }
    }
    assertEquals(50, threads.size());
    for (String t : threads) assertTrue(t.startsWith("switchboard-io-"), "handler ran on " + t);
  }

  @Test
  void pipelinedMessagesKeepTheirOrderAndEachGetsItsOwnAnswer() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    List<Integer> order = new CopyOnWriteArrayList<>();
    try (SocketIoServer io = server(true, threads, order)) {
      io.listen(0);
      try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null)) {
        // all sent before any answer is read: several frames per read, acks written meanwhile
        for (int i = 0; i < PIPELINED; i++) c.send("2" + (i + 1) + "[\"echo\"," + i + "]");
        for (int i = 0; i < PIPELINED; i++) {
          long id = i + 1;
          SocketIoTestClient.Packet ack = c.awaitPacket("ack " + id, SocketIoTestClient.DEFAULT_TIMEOUT,
              p -> p.type() == SocketIoTestClient.ACK && p.ackId() == id);
          assertEquals(i, ack.arg(0).asInt());
        }
      }
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < PIPELINED; i++) expected.add(i);
    assertEquals(expected, order, "the handler saw the messages in wire order");
  }

  @Test
  void offByDefaultHandlersRunOnTheWorkers() throws Exception {
    assertEquals(false, EngineIoOptions.DEFAULTS.nonBlockingHandlers());
    List<String> threads = new CopyOnWriteArrayList<>();
    List<Integer> order = new CopyOnWriteArrayList<>();
    try (SocketIoServer io = server(false, threads, order)) {
      io.listen(0);
      try (SocketIoTestClient c = SocketIoTestClient.connect(io.port(), null)) {
        for (int i = 0; i < 20; i++) assertEquals(i, c.emitWithAck("echo", i).asInt());
      }
    }
    assertEquals(20, threads.size());
    for (String t : threads) assertTrue(t.startsWith("switchboard-worker-"), "handler ran on " + t);
  }
}
