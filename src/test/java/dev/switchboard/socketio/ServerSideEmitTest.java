package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.socketio.adapter.AdapterNamespace;
import dev.switchboard.socketio.adapter.InMemoryAdapter;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import dev.switchboard.socketio.testing.LogCapture;
import dev.switchboard.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server-side events in memory: {@code serverSideEmit} and {@code serverSideEmitWithAck} on the
 * server and a namespace (one server: nobody else to tell, no answer to wait for), the names Node
 * reserves, and {@code onServerSideEmit} as an adapter's {@code dispatchServerSideEmit} reaches it —
 * on which thread, in which order, answered once, and what is ignored. Across servers:
 * {@code cluster/LoopbackAdapterContractTest}.
 */
class ServerSideEmitTest {
  /** The in-memory adapter, keeping the namespace view it was given so the test can play another server. */
  private static final class Keeping extends InMemoryAdapter {
    final AdapterNamespace view;

    Keeping(AdapterNamespace ns) {
      super(ns);
      this.view = ns;
    }
  }

  private final InMemorySocketIo sio = new InMemorySocketIo(SocketIoOptions.builder().adapter(Keeping::new).build());

  @AfterEach
  void close() {
    sio.close();
  }

  private AdapterNamespace view(String nsp) {
    return ((Keeping) sio.io().of(nsp).adapter()).view;
  }

  private static ArrayNode packet(Object event, Object... args) {
    return Json.array(event, args);
  }

  @Test
  void inMemoryThereIsNoOtherServerToTellOrToWaitFor() throws Exception {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    sio.io().onServerSideEmit("hello", (args, ack) -> heard.add("hello"));
    sio.io().serverSideEmit("hello", "world");
    sio.io().of("/admin").serverSideEmit("hello");
    CompletableFuture<List<Args>> answers = sio.io().serverSideEmitWithAck("hello");
    assertTrue(answers.isDone());
    assertEquals(List.of(), answers.get());
    assertEquals(List.of(), sio.io().of("/admin").serverSideEmitWithAck(Duration.ofSeconds(1), "hello").get());
    assertEquals(List.of(), heard, "a server never hears its own server-side events");
  }

  @Test
  void nodesReservedNamesAreRefusedBothWays() {
    for (String reserved : List.of("connect", "connection", "new_namespace")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sio.io().serverSideEmit(reserved));
      assertEquals("\"" + reserved + "\" is a reserved event name", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> sio.io().serverSideEmitWithAck(reserved));
      assertThrows(IllegalArgumentException.class, () -> sio.io().onServerSideEmit(reserved, (args, ack) -> { }));
    }
    assertThrows(IllegalArgumentException.class, () -> sio.io().serverSideEmitWithAck(Duration.ZERO, "x"));
  }

  @Test
  void anotherServersEventRunsTheHandlersOffTheCallersThreadInOrder() {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    sio.io().onServerSideEmit("hello", (args, ack) -> {
      threads.add(Thread.currentThread());
      heard.add("first " + args + " requested=" + ack.isRequested());
    });
    sio.io().onServerSideEmit("other", (args, ack) -> heard.add("other"));
    sio.io().onServerSideEmit("hello", (args, ack) -> heard.add("second " + args.getString(0)));
    AdapterNamespace ns = view("/");
    for (int i = 0; i < 50; i++) ns.dispatchServerSideEmit(packet("hello", "n" + i, i), null);
    Await.until("every event was handled", () -> heard.size() == 100);
    for (int i = 0; i < 50; i++) {
      assertEquals("first [\"n" + i + "\"," + i + "] requested=false", heard.get(2 * i));
      assertEquals("second n" + i, heard.get(2 * i + 1));
    }
    assertFalse(threads.contains(Thread.currentThread()), "the adapter's thread only hands the event over");
  }

  @Test
  void onlyTheFirstAnswerGoesBack() {
    List<String> secondRan = Collections.synchronizedList(new ArrayList<>());
    sio.io().onServerSideEmit("ping", (args, ack) -> ack.send("pong", args.get(0)));
    sio.io().onServerSideEmit("ping", (args, ack) -> {
      ack.send("late");
      secondRan.add("yes");
    });
    List<ArrayNode> answers = Collections.synchronizedList(new ArrayList<>());
    view("/").dispatchServerSideEmit(packet("ping", 7), answers::add);
    Await.until("the second handler answered too", () -> !secondRan.isEmpty());
    assertEquals(List.of("[\"pong\",7]"), answers.stream().map(ArrayNode::toString).toList());
  }

  @Test
  void aHandlerThatThrowsDoesNotStopTheOthers() {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    sio.io().onServerSideEmit("x", (args, ack) -> {
      throw new IllegalStateException("boom");
    });
    sio.io().onServerSideEmit("x", (args, ack) -> heard.add("second"));
    try (LogCapture log = LogCapture.of(Namespace.class)) {
      view("/").dispatchServerSideEmit(packet("x"), null);
      Await.until("the second handler", () -> heard.equals(List.of("second")));
      assertEquals(List.of("server-side handler for event 'x' failed"), log.messages(java.util.logging.Level.WARNING));
    }
  }

  @Test
  void whatIsNotAUsableEventIsIgnored() {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    sio.io().onServerSideEmit("ok", (args, ack) -> heard.add("ok"));
    sio.io().onServerSideEmit("1", (args, ack) -> heard.add("a number is not a name"));
    AdapterNamespace ns = view("/");
    Consumer<ArrayNode> none = null;
    ns.dispatchServerSideEmit(Json.NODES.arrayNode(), none);
    ns.dispatchServerSideEmit(packet(1), none);
    ns.dispatchServerSideEmit(packet("connection"), none);
    ns.dispatchServerSideEmit(packet("ok"), none);
    Await.until("the usable one", () -> heard.equals(List.of("ok")));
  }

  @Test
  void eachNamespaceHasItsOwnHandlers() throws Exception {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    sio.io().onServerSideEmit("x", (args, ack) -> heard.add("/"));
    sio.io().of("/admin").onServerSideEmit("x", (args, ack) -> heard.add("/admin"));
    view("/admin").dispatchServerSideEmit(packet("x"), null);
    Await.until("/admin's handler", () -> heard.equals(List.of("/admin")));
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    sio.io().onServerSideEmit("where", (args, ack) -> ranOn.complete(Thread.currentThread()));
    view("/").dispatchServerSideEmit(packet("where"), null);
    Thread t = ranOn.get(10, TimeUnit.SECONDS);
    assertNotSame(Thread.currentThread(), t);
    assertTrue(t.getName().startsWith("switchboard-sio-completions-"), t.getName());
  }
}
