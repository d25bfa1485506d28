package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketListeners}, the immutable value a socket's handlers and hooks live in: copy-on-write
 * registration, removal, the event-name arrays shared between sockets, and what that means for a
 * socket (a registration during dispatch counts from the next event, concurrent registrations
 * are all kept).
 */
class ListenerSnapshotTest {
  private static final EventHandler A = (args, ack) -> { };
  private static final EventHandler B = (args, ack) -> { };

  @Test
  void registeringBuildsANewValueAndLeavesTheOldOneAsItWas() {
    SocketListeners none = SocketListeners.NONE;
    SocketListeners one = none.on("x", A);
    SocketListeners two = one.on("y", B);
    assertEquals(0, none.events.length);
    assertArrayEquals(new String[] {"x"}, one.events);
    assertArrayEquals(new EventHandler[] {A}, one.handlers);
    assertArrayEquals(new String[] {"x", "y"}, two.events);
    assertArrayEquals(new EventHandler[] {A, B}, two.handlers);
    assertSame(SocketListeners.Hooks.NONE, two.hooks);

    SocketListeners hooked = two.with(two.hooks.plusAnyIncoming((e, a) -> { }));
    assertEquals(1, hooked.hooks.anyIncoming.size());
    assertSame(two.events, hooked.events);
    assertSame(two.handlers, hooked.handlers);
    assertEquals(0, two.hooks.anyIncoming.size());
  }

  @Test
  void offRemovesTheFirstMatchingRegistrationOnly() {
    SocketListeners l = SocketListeners.NONE.on("x", A).on("y", A).on("x", A).on("x", B);
    SocketListeners less = l.off("x", A);
    assertArrayEquals(new String[] {"y", "x", "x"}, less.events);
    assertArrayEquals(new EventHandler[] {A, A, B}, less.handlers);
    assertSame(l, l.off("z", A));
    assertSame(l, l.off("y", B));
    assertEquals(0, SocketListeners.NONE.on("x", A).off("x", A).events.length);
  }

  @Test
  void socketsThatRegisterTheSameNamesInTheSameOrderShareOneNamesArray() {
    // 20 names: a length no other test's sockets reach, so nothing else touches that slot meanwhile.
    SocketListeners first = SocketListeners.NONE;
    SocketListeners second = SocketListeners.NONE;
    for (int i = 0; i < 20; i++) first = first.on("shared-" + i, A);
    for (int i = 0; i < 20; i++) second = second.on("shared-" + i, B);
    assertSame(first.events, second.events);
    assertNotSame(first.handlers, second.handlers);
    assertEquals(B, second.handlers[19]);

    SocketListeners other = SocketListeners.NONE;
    for (int i = 0; i < 19; i++) other = other.on("shared-" + i, B);
    other = other.on("different", B);
    assertEquals("different", other.events[19]);
    assertEquals("shared-19", first.events[19]);
  }

  @Test
  void hooksKeepRegistrationOrderPerKind() {
    List<String> heard = new ArrayList<>();
    Consumer<DisconnectReason> one = r -> heard.add("1 " + r);
    Consumer<DisconnectReason> two = r -> heard.add("2 " + r);
    SocketListeners.Hooks h = SocketListeners.Hooks.NONE.plusDisconnected(one).plusDisconnecting(two).plusDisconnected(two);
    assertEquals(List.of(one, two), h.disconnected);
    assertEquals(List.of(two), h.disconnecting);
    assertEquals(List.of(), h.errors);
    assertEquals(List.of(), h.middlewares);
  }

  @Test
  void aHandlerAddedWhileAnEventIsDispatchedHearsTheNextEventOnly() {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      List<String> heard = new ArrayList<>();
      sio.io().onConnection(socket -> socket.on("x", (args, ack) -> {
        heard.add("first " + args.get(0).asInt());
        if (heard.size() == 1) socket.on("x", (a, k) -> heard.add("added " + a.get(0).asInt()));
      }));
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      c.receive("2[\"x\",1]");
      c.receive("2[\"x\",2]");
      assertEquals(List.of("first 1", "first 2", "added 2"), heard);
    }
  }

  @Test
  void registrationsFromManyThreadsAtOnceAreAllKept() throws Exception {
    try (InMemorySocketIo sio = new InMemorySocketIo()) {
      List<Socket> sockets = new ArrayList<>();
      sio.io().onConnection(sockets::add);
      FakeEngineIoConnection c = sio.connect();
      c.receive("0");
      Socket socket = sockets.get(0);
      int threads = 4;
      int each = 200;
      List<String> heard = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int me = t;
        Thread w = new Thread(() -> {
          try {
            start.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < each; i++) {
            socket.on("x", (args, ack) -> heard.add("h"));
            socket.onAny((event, args) -> heard.add("any"));
            if (i % 50 == me) socket.onDisconnect(r -> heard.add("bye"));
          }
        });
        w.start();
        workers.add(w);
      }
      start.countDown();
      for (Thread w : workers) w.join(10_000);
      c.receive("2[\"x\"]");
      assertEquals(threads * each * 2, heard.size());
      heard.clear();
      c.receive("1");
      assertEquals(threads * (each / 50), heard.size());
    }
  }
}
