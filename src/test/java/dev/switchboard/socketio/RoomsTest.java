package dev.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.socketio.testing.FakeEngineIoConnection;
import dev.switchboard.socketio.testing.InMemorySocketIo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms as a socket sees them: {@code join}, {@code leave}, {@code rooms()} with the socket's own
 * id-room, and broadcasting from a socket ({@code to}/{@code in}/{@code except}/{@code broadcast}),
 * which never reaches the sender.
 */
class RoomsTest {
  private final InMemorySocketIo sio = new InMemorySocketIo();

  @AfterEach
  void close() {
    sio.close();
  }

  @Test
  void everySocketIsInItsOwnIdRoom() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    assertEquals(Set.of(s.id()), s.rooms());
    assertEquals(Set.of(s.id()), sio.io().sockets().adapter().rooms());
  }

  @Test
  void joinAddsRoomsAndLeaveRemovesOne() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    assertSame(s, s.join("a", "b"));
    s.join("c");
    assertEquals(Set.of(s.id(), "a", "b", "c"), s.rooms());
    assertSame(s, s.leave("b"));
    s.leave("never-joined");
    assertEquals(Set.of(s.id(), "a", "c"), s.rooms());
    assertEquals(Set.of(s.id(), "a", "c"), sio.io().sockets().adapter().rooms(), "an empty room is gone at once");
  }

  @Test
  void aDisconnectedSocketIsInNoRoomAndJoinsNone() {
    FakeEngineIoConnection c = sio.client();
    Socket s = sio.socket(c);
    s.join("a");
    c.receive("1");
    assertEquals(Set.of(), s.rooms());
    s.join("late");
    assertEquals(Set.of(), s.rooms());
    assertEquals(Set.of(), sio.io().sockets().adapter().rooms(), "nothing left behind");
  }

  @Test
  void toSendsToTheRoomExceptTheSender() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection c = sio.client();
    FakeEngineIoConnection outside = sio.client();
    for (FakeEngineIoConnection x : List.of(a, b, c)) sio.socket(x).join("lobby");
    sio.socket(a).to("lobby").emit("chat", "hi");
    assertEquals(List.of(), a.sent());
    assertEquals(List.of("2[\"chat\",\"hi\"]"), b.sent());
    assertEquals(List.of("2[\"chat\",\"hi\"]"), c.sent());
    assertEquals(List.of(), outside.sent());
  }

  @Test
  void inIsToByAnotherName() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection outside = sio.client();
    sio.socket(a).join("lobby");
    sio.socket(b).join("lobby");
    sio.socket(a).in("lobby").emit("x");
    assertEquals(List.of(), a.sent());
    assertEquals(List.of("2[\"x\"]"), b.sent());
    assertEquals(List.of(), outside.sent());
  }

  @Test
  void toASocketIdIsAPrivateMessage() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection c = sio.client();
    sio.socket(a).to(b.sid()).emit("dm", "psst");
    assertEquals(List.of("2[\"dm\",\"psst\"]"), b.sent());
    assertEquals(List.of(), a.sent());
    assertEquals(List.of(), c.sent());
  }

  @Test
  void exceptSendsToEveryoneButTheSenderAndTheRoom() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection muted = sio.client();
    sio.socket(muted).join("muted");
    sio.socket(a).join("muted"); // the sender is excluded anyway
    sio.socket(a).except("muted").emit("x");
    assertEquals(List.of(), a.sent());
    assertEquals(List.of("2[\"x\"]"), b.sent());
    assertEquals(List.of(), muted.sent());
  }

  @Test
  void broadcastSendsToEveryoneElseInTheNamespace() {
    sio.io().of("/admin");
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection admin = sio.client("/admin");
    sio.socket(a).broadcast().emit("x", 1);
    assertEquals(List.of(), a.sent());
    assertEquals(List.of("2[\"x\",1]"), b.sent());
    assertEquals(List.of(), admin.sent());
  }

  @Test
  void chainedRoomsAreAUnionMinusTheExceptionsAndReachEachSocketOnce() {
    FakeEngineIoConnection sender = sio.client();
    FakeEngineIoConnection inA = sio.client();
    FakeEngineIoConnection inBoth = sio.client();
    FakeEngineIoConnection inBAndC = sio.client();
    FakeEngineIoConnection none = sio.client();
    sio.socket(sender).join("a");
    sio.socket(inA).join("a");
    sio.socket(inBoth).join("a", "b");
    sio.socket(inBAndC).join("b", "c");
    sio.socket(sender).to("a").to("b").except("c").emit("news");
    assertEquals(List.of(), sender.sent());
    assertEquals(List.of("2[\"news\"]"), inA.sent());
    assertEquals(List.of("2[\"news\"]"), inBoth.sent());
    assertEquals(List.of(), inBAndC.sent());
    assertEquals(List.of(), none.sent());
  }

  @Test
  void anOperatorIsAValueThatCanBeKeptAndReused() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    FakeEngineIoConnection c = sio.client();
    sio.socket(b).join("r");
    sio.socket(c).join("r", "quiet");
    BroadcastOperator toR = sio.socket(a).to("r");
    toR.except("quiet").emit("one");
    toR.emit("two");
    assertEquals(List.of("2[\"one\"]", "2[\"two\"]"), b.sent());
    assertEquals(List.of("2[\"two\"]"), c.sent());
  }

  @Test
  void roomsOfDifferentNamespacesAreSeparate() {
    sio.io().of("/admin");
    FakeEngineIoConnection c = sio.client();
    c.connectTo("/admin");
    FakeEngineIoConnection other = sio.client("/admin");
    sio.socket(c).join("r");
    sio.socket(other, "/admin").join("r");
    assertEquals(Set.of(c.sid("/admin")), sio.socket(c, "/admin").rooms());
    sio.io().to("r").emit("main");
    sio.io().of("/admin").to("r").emit("admin");
    assertEquals(List.of("2[\"main\"]"), c.sent());
    assertEquals(List.of("2/admin,[\"admin\"]"), other.sent());
  }

  @Test
  void aRoomWithoutMembersReachesNobody() {
    FakeEngineIoConnection a = sio.client();
    FakeEngineIoConnection b = sio.client();
    sio.socket(a).to("empty").emit("x");
    assertEquals(List.of(), b.sent());
    assertEquals(List.of(), a.sent());
  }
}
