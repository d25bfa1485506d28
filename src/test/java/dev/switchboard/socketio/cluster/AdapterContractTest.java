package dev.switchboard.socketio.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.adapter.ClusterRequestTimeoutException;
import dev.switchboard.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every adapter must do, across the servers of one cluster: the scenarios of
 * {@code @socket.io/redis-adapter}'s own {@code test/index.ts} "common" block (the suite Node's
 * Redis, Mongo and Postgres adapters all pass) — broadcast to all, a namespace, a room, all but a
 * room, once per socket, locally, to one socket; acks from many clients, binary, from nobody, with
 * a timeout; {@code socketsJoin}, {@code socketsLeave}, {@code disconnectSockets} and
 * {@code fetchSockets} for all, the matching, one socket and locally; {@code serverSideEmit} with
 * and without acks and its timeout — plus {@code allRooms} and the actions of a fetched remote
 * socket.
 *
 * <p>Setup, as there: {@link #nodes()} servers (3), and three clients of the main namespace spread
 * over them, client {@code i} on server {@code i % nodes()}; every scenario acts from server 0, a
 * Switchboard server. With one server (the in-memory adapter) every client is on it and the
 * expectations follow: "local" is everyone, there is no other server to hear a server-side event.
 *
 * <p>A subclass says how to start a cluster ({@link #startCluster}): in memory over a loopback bus
 * ({@code LoopbackAdapterContractTest}), one in-memory server ({@code InMemoryAdapterContractTest}),
 * and — for the Redis adapters — real Redis, with Switchboard servers and Node processes. Time goes
 * through {@link Cluster#elapse}, waiting for the cluster through {@link Cluster#settle}; no
 * scenario sleeps.
 */
public abstract class AdapterContractTest {
  /** The servers of one test cluster. */
  public interface Cluster extends AutoCloseable {
    /** Server 0, the Switchboard server every scenario acts from. */
    SocketIoServer server();

    /** Server {@code i} (0 ≤ i < {@link #size()}). */
    Node node(int i);

    /** How many servers. */
    int size();

    /**
     * Returns once everything the servers sent each other so far has been handled everywhere —
     * including what the handling sent in turn. (Over a loopback bus: the bus is idle. A real
     * cluster may do a round trip through every server.)
     */
    void settle();

    /**
     * Lets {@code d} pass for the servers' timers: fake clocks move; a cluster on real clocks does
     * nothing (its timers fire by themselves, and the scenario then waits for the outcome).
     */
    void elapse(Duration d);

    /**
     * Requests server 0's adapter of the main namespace still waits for (broadcast acks,
     * fetchSockets…): the redis-adapter suite checks that none is left behind.
     */
    int pendingRequests();

    @Override
    void close();
  }

  /** One server, as the scenarios use it. */
  public interface Node {
    /** A new client of this server, connected to namespace {@code nsp} (created on the server first). */
    Client connect(String nsp);

    /**
     * From now on this server's handler for the server-side event {@code event} (main namespace)
     * records it and answers {@code answer}; with {@code answer} null it records it and stays
     * silent. It answers before it records, so a recorded event's answer is already on its way.
     */
    void onServerSideEmit(String event, Object answer);

    /** The server-side events this server's handlers received: {@code event [args as JSON]}. */
    List<String> serverSideEvents();
  }

  /** One client, with its socket on its server. */
  public interface Client {
    /** Its socket's id. */
    String id();

    /** Its socket joins {@code rooms} (on its own server, as {@code serverSockets[i].join}). */
    void join(String... rooms);

    /** Its socket's rooms now. */
    Set<String> rooms();

    /** Sets a value of its socket's {@code data}. */
    void putData(String key, Object value);

    /** Its socket's handshake, in the JSON shape Node's servers send each other. */
    JsonNode handshake();

    /** The arguments of each {@code event} the client received, in order (binary as BinaryNode). */
    List<ArrayNode> received(String event);

    /** From now on the client answers the acks of {@code event} with {@code value}; by default it stays silent. */
    void answer(String event, Object value);

    /** Whether the server disconnected its socket (the client received DISCONNECT). */
    boolean disconnectedByServer();
  }

  /** How many servers: 3, as in the redis-adapter suite. */
  protected int nodes() {
    return 3;
  }

  /** Starts {@code nodes} servers sharing one adapter backend, server 0 a Switchboard server. */
  protected abstract Cluster startCluster(int nodes);

  private static final Duration WAIT = Duration.ofSeconds(10);

  protected Cluster cluster;
  protected List<Client> clients;

  @BeforeEach
  void startClusterAndClients() {
    cluster = startCluster(nodes());
    clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) clients.add(cluster.node(i % cluster.size()).connect("/"));
    cluster.settle();
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  private SocketIoServer io() {
    return cluster.server();
  }

  private Client client(int i) {
    return clients.get(i);
  }

  /** Whether client {@code i} is on server 0. */
  private boolean onServer0(int i) {
    return i % cluster.size() == 0;
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    return e.getCause();
  }

  private static Set<String> ids(List<RemoteSocket> sockets) {
    return sockets.stream().map(RemoteSocket::id).collect(Collectors.toSet());
  }

  private Set<String> clientIds(int... which) {
    Set<String> out = new HashSet<>();
    for (int i : which) out.add(client(i).id());
    return out;
  }

  /** How many times each client received {@code event}. */
  private List<Integer> counts(String event) {
    List<Integer> out = new ArrayList<>();
    for (Client c : clients) out.add(c.received(event).size());
    return out;
  }

  private static List<String> asText(List<Args> answers) {
    return answers.stream().map(a -> a.get(0).toString()).sorted().toList();
  }

  // ------------------------------------------------------------------ broadcast

  @Test
  void broadcastsToAllClients() {
    io().emit("test", 1, "2", new byte[] {3, 4});
    cluster.settle();
    for (Client c : clients) {
      List<ArrayNode> got = c.received("test");
      assertEquals(1, got.size(), c.id());
      assertEquals(1, got.get(0).get(0).intValue());
      assertEquals("2", got.get(0).get(1).textValue());
      assertTrue(got.get(0).get(2).isBinary(), "a byte[] arrives as binary: " + got.get(0));
    }
  }

  @Test
  void broadcastsToAllClientsInANamespace() {
    List<Client> custom = new ArrayList<>();
    for (int i = 0; i < 3; i++) custom.add(cluster.node(i % cluster.size()).connect("/custom"));
    cluster.settle();
    io().of("/custom").emit("test");
    cluster.settle();
    for (Client c : custom) assertEquals(1, c.received("test").size(), c.id());
    assertEquals(List.of(0, 0, 0), counts("test"), "the main namespace's clients got nothing");
  }

  @Test
  void broadcastsToAllClientsInARoom() {
    client(1).join("room1");
    cluster.settle();
    io().to("room1").emit("test");
    cluster.settle();
    assertEquals(List.of(0, 1, 0), counts("test"));
  }

  @Test
  void broadcastsToAllClientsExceptInRoom() {
    client(1).join("room1");
    cluster.settle();
    io().of("/").except("room1").emit("test");
    cluster.settle();
    assertEquals(List.of(1, 0, 1), counts("test"));
  }

  @Test
  void broadcastsToAllClientsOnce() {
    client(0).join("room1", "room2");
    client(1).join("room1", "room2", "room3");
    client(2).join("room1");
    cluster.settle();
    io().of("/").to("room1").to("room2").except("room3").emit("test");
    cluster.settle();
    assertEquals(List.of(1, 0, 1), counts("test"));
  }

  @Test
  void broadcastsToLocalClientsOnly() {
    io().local().emit("test");
    cluster.settle();
    for (int i = 0; i < 3; i++) assertEquals(onServer0(i) ? 1 : 0, client(i).received("test").size(), "client " + i);
  }

  @Test
  void broadcastsToASingleClient() {
    io().to(client(1).id()).emit("test");
    cluster.settle();
    assertEquals(List.of(0, 1, 0), counts("test"));
  }

  @Test
  void broadcastsWithMultipleAcknowledgements() throws Exception {
    client(0).answer("test", 1);
    client(1).answer("test", 2);
    client(2).answer("test", 3);
    List<Args> answers = await(io().timeout(Duration.ofMillis(500)).emitWithAck("test"));
    assertEquals(List.of("1", "2", "3"), asText(answers));
    assertEquals(0, cluster.pendingRequests(), "nothing kept once the answers are in");
  }

  @Test
  void broadcastsWithMultipleAcknowledgementsOfBinaryContent() throws Exception {
    client(0).answer("test", new byte[] {1});
    client(1).answer("test", new byte[] {2});
    client(2).answer("test", new byte[] {3});
    List<Args> answers = await(io().timeout(Duration.ofMillis(500)).emitWithAck("test"));
    assertEquals(3, answers.size());
    Set<Integer> bytes = new HashSet<>();
    for (Args a : answers) {
      assertTrue(a.get(0).isBinary(), "binary: " + a);
      bytes.add((int) a.getBytes(0)[0]);
    }
    assertEquals(Set.of(1, 2, 3), bytes);
  }

  @Test
  void broadcastsWithMultipleAcknowledgementsToNoClient() throws Exception {
    assertEquals(List.of(), await(io().to("abc").timeout(Duration.ofMillis(500)).emitWithAck("test")));
    assertEquals(0, cluster.pendingRequests());
  }

  @Test
  void broadcastsWithMultipleAcknowledgementsThatTimeOut() {
    client(0).answer("test", 1);
    client(1).answer("test", 2);
    CompletableFuture<List<Args>> f = io().timeout(Duration.ofMillis(500)).emitWithAck("test");
    cluster.settle(); // every answer that will come is in; client 2 stays silent
    assertFalse(f.isDone());
    cluster.elapse(Duration.ofMillis(500));
    AckTimeoutException e = assertInstanceOf(AckTimeoutException.class, failure(f));
    assertEquals(List.of("1", "2"), asText(e.responses()));
    assertEquals(1, e.missingCount());
    assertEquals(onServer0(2) ? Set.of(client(2).id()) : Set.of(), e.missingSocketIds(),
        "only this server's silent sockets are known by id");
    Await.until("the request is forgotten", () -> cluster.pendingRequests() == 0);
  }

  // ------------------------------------------------------------------ socketsJoin

  @Test
  void socketsJoinMakesAllSocketInstancesJoinTheRoom() {
    io().socketsJoin("room1");
    cluster.settle();
    for (Client c : clients) assertTrue(c.rooms().contains("room1"), c.id());
  }

  @Test
  void socketsJoinMakesTheMatchingSocketInstancesJoinTheRoom() {
    client(0).join("room1");
    client(2).join("room1");
    cluster.settle();
    io().in("room1").socketsJoin("room2");
    cluster.settle();
    assertTrue(client(0).rooms().contains("room2"));
    assertFalse(client(1).rooms().contains("room2"));
    assertTrue(client(2).rooms().contains("room2"));
  }

  @Test
  void socketsJoinMakesTheGivenSocketInstanceJoinTheRoom() {
    io().in(client(1).id()).socketsJoin("room3");
    cluster.settle();
    assertFalse(client(0).rooms().contains("room3"));
    assertTrue(client(1).rooms().contains("room3"));
    assertFalse(client(2).rooms().contains("room3"));
  }

  @Test
  void socketsJoinLocalOnlyMovesThisServersSockets() {
    io().local().socketsJoin("here");
    cluster.settle();
    for (int i = 0; i < 3; i++) assertEquals(onServer0(i), client(i).rooms().contains("here"), "client " + i);
  }

  // ------------------------------------------------------------------ socketsLeave

  @Test
  void socketsLeaveMakesAllSocketInstancesLeaveTheRoom() {
    client(0).join("room1");
    client(2).join("room1");
    cluster.settle();
    io().socketsLeave("room1");
    cluster.settle();
    for (Client c : clients) assertFalse(c.rooms().contains("room1"), c.id());
  }

  @Test
  void socketsLeaveMakesTheMatchingSocketInstancesLeaveTheRoom() {
    client(0).join("room1", "room2");
    client(1).join("room1", "room2");
    client(2).join("room2");
    cluster.settle();
    io().in("room1").socketsLeave("room2");
    cluster.settle();
    assertFalse(client(0).rooms().contains("room2"));
    assertFalse(client(1).rooms().contains("room2"));
    assertTrue(client(2).rooms().contains("room2"));
  }

  @Test
  void socketsLeaveMakesTheGivenSocketInstanceLeaveTheRoom() {
    for (Client c : clients) c.join("room3");
    cluster.settle();
    io().in(client(1).id()).socketsLeave("room3");
    cluster.settle();
    assertTrue(client(0).rooms().contains("room3"));
    assertFalse(client(1).rooms().contains("room3"));
    assertTrue(client(2).rooms().contains("room3"));
  }

  // ------------------------------------------------------------------ disconnectSockets

  @Test
  void disconnectSocketsMakesAllSocketInstancesDisconnect() {
    io().disconnectSockets();
    cluster.settle();
    for (Client c : clients) assertTrue(c.disconnectedByServer(), c.id());
  }

  @Test
  void disconnectSocketsMakesTheMatchingAndTheGivenSocketInstancesDisconnect() {
    client(2).join("room1");
    cluster.settle();
    io().in("room1").disconnectSockets();
    io().in(client(1).id()).disconnectSockets(true);
    cluster.settle();
    assertEquals(List.of(false, true, true), clients.stream().map(Client::disconnectedByServer).toList());
  }

  @Test
  void disconnectSocketsLocalOnlyDisconnectsThisServersSockets() {
    io().local().disconnectSockets();
    cluster.settle();
    for (int i = 0; i < 3; i++) assertEquals(onServer0(i), client(i).disconnectedByServer(), "client " + i);
  }

  // ------------------------------------------------------------------ fetchSockets

  @Test
  void fetchSocketsReturnsAllSocketInstances() throws Exception {
    List<RemoteSocket> sockets = await(io().fetchSockets());
    assertEquals(clientIds(0, 1, 2), ids(sockets));
    assertEquals(3, sockets.size());
    assertEquals(0, cluster.pendingRequests(), "nothing kept once every server answered");
  }

  @Test
  void fetchSocketsReturnsTheMatchingSocketInstances() throws Exception {
    client(0).join("room1");
    client(2).join("room1");
    cluster.settle();
    assertEquals(clientIds(0, 2), ids(await(io().in("room1").fetchSockets())));
  }

  @Test
  void fetchSocketsReturnsASingleSocketInstance() throws Exception {
    client(1).putData("name", "test");
    List<RemoteSocket> sockets = await(io().in(client(1).id()).fetchSockets());
    assertEquals(1, sockets.size());
    RemoteSocket s = sockets.get(0);
    assertEquals(client(1).id(), s.id());
    assertEquals(client(1).handshake(), s.handshake().toJson());
    assertEquals(Map.of("name", "test"), s.data());
    assertEquals(Set.of(client(1).id()), s.rooms());
  }

  @Test
  void fetchSocketsReturnsOnlyLocalSocketInstances() throws Exception {
    long here = java.util.stream.IntStream.range(0, 3).filter(this::onServer0).count();
    assertEquals(here, await(io().local().fetchSockets()).size());
  }

  @Test
  void aFetchedSocketActsWhereverItIsConnected() throws Exception {
    RemoteSocket s = await(io().in(client(1).id()).fetchSockets()).get(0);
    s.emit("hi", 1);
    s.join("joined", "twice");
    cluster.settle();
    assertEquals(1, client(1).received("hi").size());
    assertTrue(client(1).rooms().containsAll(Set.of("joined", "twice")));
    s.leave("twice");
    cluster.settle();
    assertEquals(Set.of(client(1).id(), "joined"), client(1).rooms());
    s.disconnect();
    cluster.settle();
    assertEquals(List.of(false, true, false), clients.stream().map(Client::disconnectedByServer).toList());
  }

  // ------------------------------------------------------------------ allRooms

  @Test
  void allRoomsListsTheRoomsOfEveryServer() throws Exception {
    client(1).join("a");
    client(2).join("b");
    cluster.settle();
    Set<String> expected = new HashSet<>(clientIds(0, 1, 2));
    expected.addAll(Set.of("a", "b"));
    assertEquals(expected, await(io().sockets().allRooms()));
    assertEquals(0, cluster.pendingRequests());
  }

  // ------------------------------------------------------------------ serverSideEmit

  @Test
  void serverSideEmitSendsAnEventToTheOtherServerInstances() {
    for (int i = 0; i < cluster.size(); i++) cluster.node(i).onServerSideEmit("hello", null);
    io().serverSideEmit("hello", "world", 1, "2");
    cluster.settle();
    Await.until("every other server heard it", () -> {
      for (int i = 1; i < cluster.size(); i++) if (cluster.node(i).serverSideEvents().isEmpty()) return false;
      return true;
    });
    assertEquals(List.of(), cluster.node(0).serverSideEvents(), "never the sender itself");
    for (int i = 1; i < cluster.size(); i++) {
      assertEquals(List.of("hello [\"world\",1,\"2\"]"), cluster.node(i).serverSideEvents(), "server " + i);
    }
  }

  @Test
  void serverSideEmitWithAckReceivesAResponseFromTheOtherServerInstances() throws Exception {
    cluster.node(0).onServerSideEmit("hello", "never");
    List<String> expected = new ArrayList<>();
    for (int i = 1; i < cluster.size(); i++) {
      Object answer = i % 2 == 1 ? (Object) (i + 1) : String.valueOf(i + 1); // 2 and "3", as upstream
      cluster.node(i).onServerSideEmit("hello", answer);
      expected.add(i % 2 == 1 ? String.valueOf(i + 1) : "\"" + (i + 1) + "\"");
    }
    List<Args> answers = await(io().serverSideEmitWithAck("hello"));
    assertEquals(expected.stream().sorted().toList(), asText(answers));
    assertEquals(List.of(), cluster.node(0).serverSideEvents());
    assertEquals(0, cluster.pendingRequests());
  }

  @Test
  void serverSideEmitWithAckTimesOutIfOneServerDoesNotRespond() throws Exception {
    for (int i = 1; i < cluster.size(); i++) cluster.node(i).onServerSideEmit("hello", i == cluster.size() - 1 ? null : 2);
    CompletableFuture<List<Args>> f = io().serverSideEmitWithAck("hello");
    if (cluster.size() == 1) {
      assertEquals(List.of(), await(f), "no other server: nobody to wait for");
      return;
    }
    Await.until("every other server heard it", () -> {
      for (int i = 1; i < cluster.size(); i++) if (cluster.node(i).serverSideEvents().isEmpty()) return false;
      return true;
    });
    cluster.settle();
    assertFalse(f.isDone());
    cluster.elapse(dev.switchboard.socketio.Namespace.DEFAULT_SERVER_SIDE_EMIT_TIMEOUT);
    ClusterRequestTimeoutException e = assertInstanceOf(ClusterRequestTimeoutException.class, failure(f));
    int others = cluster.size() - 1;
    assertEquals("timeout reached: only " + (others - 1) + " responses received out of " + others, e.getMessage());
    assertEquals(others - 1, e.responses().size());
    for (ArrayNode answer : e.responses()) assertEquals("[2]", answer.toString());
    assertEquals(0, cluster.pendingRequests());
  }
}
