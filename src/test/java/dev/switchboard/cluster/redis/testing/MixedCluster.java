package dev.switchboard.cluster.redis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.cluster.redis.RedisLink;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.adapter.Adapter;
import dev.switchboard.socketio.adapter.AdapterFactory;
import dev.switchboard.socketio.cluster.AdapterContractTest;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * A cluster of real servers on one real Redis for the adapter tests (issue #10): N Switchboard
 * servers, each listening on a free port with its own {@link RedisLink} and the Java adapter under
 * test, and M Node socket.io 4.8 servers ({@code conformance/cluster/node-node.mjs}) with the Node
 * adapter under test, plus one {@link ClientHost} of official {@code socket.io-client}s that can
 * connect to any of them. Members are numbered Java first: member 0 is always a Switchboard server.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start();
 *     MixedCluster cluster = MixedCluster.builder(redis)
 *         .javaNodes(2, link -> RedisAdapter.factory(link))
 *         .nodeNodes(1, "--adapter", "redis")
 *         .pendingRequests(a -> ((RedisAdapter) a).pendingRequests())
 *         .start()) {
 *   AdapterContractTest.Cluster view = cluster.contract();   // what AdapterContractTest runs on
 * }
 * }</pre>
 *
 * <p>It is meant to be started once per test class ({@code @BeforeAll}): {@link #contract()} hands
 * each test a view whose {@code close()} only {@link #reset resets} the cluster — every client
 * leaves, and the test's server-side event handlers are forgotten — so that the servers and their
 * Redis subscriptions are reused. {@link Cluster#settle() settle()} is a round trip through every
 * server and every client (see {@link #settle()}); time is real ({@code elapse} does nothing).
 *
 * <p>Every server answers the client event {@code __settle} with an empty ack, the server-side event
 * {@code whoami} with {@code {kind, id}} ({@code "java"} or {@code "node"}), and, once a test asked
 * for it ({@link AdapterContractTest.Node#onServerSideEmit}), records {@code hello}.
 *
 * <p>Threading: the test thread.
 */
public final class MixedCluster implements AutoCloseable {
  private static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(10);
  private static final List<String> NAMESPACES = List.of("/", "/custom");

  private final RedisServer redis;
  private final List<Member> members = new ArrayList<>();
  private final ToIntFunction<Adapter> pendingRequests;
  private ClientHost host;

  /** What to start. */
  public static final class Builder {
    private final RedisServer redis;
    private int javaNodes;
    private Function<RedisLink, AdapterFactory> adapter;
    private UnaryOperator<SocketIoOptions.Builder> javaOptions = b -> b;
    private int nodeNodes;
    private String[] nodeArgs = new String[0];
    private ToIntFunction<Adapter> pendingRequests = a -> 0;

    private Builder(RedisServer redis) {
      this.redis = redis;
    }

    /** {@code n} Switchboard servers, each with the adapter {@code adapter} makes from its own link. */
    public Builder javaNodes(int n, Function<RedisLink, AdapterFactory> adapter) {
      this.javaNodes = n;
      this.adapter = adapter;
      return this;
    }

    /** More options for the Switchboard servers (recovery, ack timeout, …); the adapter is set after. */
    public Builder javaOptions(UnaryOperator<SocketIoOptions.Builder> options) {
      this.javaOptions = options;
      return this;
    }

    /** {@code n} Node servers started with node-node.mjs's {@code args} ({@code --adapter …}). */
    public Builder nodeNodes(int n, String... args) {
      this.nodeNodes = n;
      this.nodeArgs = args.clone();
      return this;
    }

    /** How to read the pending requests of member 0's adapter of "/" (0 when not given). */
    public Builder pendingRequests(ToIntFunction<Adapter> pending) {
      this.pendingRequests = pending;
      return this;
    }

    /**
     * Starts everything and returns once every server counts every other ({@code serverCount()}
     * of "/" and "/custom" is the cluster's size on each).
     */
    public MixedCluster start() throws Exception {
      if (javaNodes < 1) throw new IllegalArgumentException("member 0 must be a Switchboard server");
      MixedCluster c = new MixedCluster(this);
      try {
        c.startAll(this);
      } catch (Throwable t) {
        c.close();
        throw t;
      }
      return c;
    }
  }

  /** A cluster on {@code redis}, to configure. */
  public static Builder builder(RedisServer redis) {
    return new Builder(redis);
  }

  private MixedCluster(Builder b) {
    this.redis = b.redis;
    this.pendingRequests = b.pendingRequests;
  }

  private void startAll(Builder b) throws Exception {
    for (int i = 0; i < b.javaNodes; i++) members.add(new JavaMember("java-" + i, b.adapter, b.javaOptions));
    for (int i = 0; i < b.nodeNodes; i++) {
      members.add(new NodeMember(NodeNodeProcess.start("node-" + (b.javaNodes + i), redis.url(), b.nodeArgs)));
    }
    host = ClientHost.start();
    awaitFullyCounted();
  }

  /** Waits until each member's adapters of "/" and "/custom" count every member. */
  public void awaitFullyCounted() {
    for (Member m : members) {
      for (String nsp : NAMESPACES) {
        Await.until(m.id() + " counts " + members.size() + " servers on " + nsp, Duration.ofSeconds(20),
            () -> m.serverCount(nsp) == members.size());
      }
    }
  }

  /** The Redis server. */
  public RedisServer redis() {
    return redis;
  }

  /** How many servers. */
  public int size() {
    return members.size();
  }

  /** Member {@code i}: Switchboard servers first. */
  public Member member(int i) {
    return members.get(i);
  }

  /** Member {@code i}, a Switchboard server. */
  public JavaMember java(int i) {
    return (JavaMember) members.get(i);
  }

  /** Member {@code i}, a Node server. */
  public NodeMember node(int i) {
    return (NodeMember) members.get(i);
  }

  /** The official clients. */
  public ClientHost clients() {
    return host;
  }

  /**
   * Returns once everything the servers sent each other and their clients so far has arrived:
   * each server in turn sends a {@code whoami} server-side event with ack and waits for every
   * other server's answer — a server answers only after it has handled whatever was published
   * before on the same connection, and its answer comes after whatever it published before — then
   * each connected client does a round trip to its server ({@link ClientHost#settle()}).
   */
  public void settle() {
    if (members.size() > 1) for (Member m : members) m.barrier();
    host.settle();
  }

  /**
   * Back to a cluster without clients: every client leaves, the servers' sockets are gone (waited
   * for), the {@code hello} handlers the tests set are forgotten and what they recorded cleared.
   */
  public void reset() {
    host.closeAll();
    for (Member m : members) {
      for (String nsp : NAMESPACES) Await.until(m.id() + " has no socket left on " + nsp, () -> m.sockets(nsp).isEmpty());
      m.reset();
    }
  }

  /** A view for one {@link AdapterContractTest} test; its {@code close()} {@link #reset resets} the cluster. */
  public AdapterContractTest.Cluster contract() {
    return new AdapterContractTest.Cluster() {
      @Override
      public SocketIoServer server() {
        return java(0).io();
      }

      @Override
      public AdapterContractTest.Node node(int i) {
        return members.get(i);
      }

      @Override
      public int size() {
        return members.size();
      }

      @Override
      public void settle() {
        MixedCluster.this.settle();
      }

      @Override
      public void elapse(Duration d) {
        // real clocks: the servers' timers fire by themselves
      }

      @Override
      public int pendingRequests() {
        return pendingRequests.applyAsInt(java(0).io().sockets().adapter());
      }

      @Override
      public void close() {
        reset();
      }
    };
  }

  /** Stops every server (and the links of the Switchboard ones) and the client host. */
  @Override
  public void close() {
    if (host != null) host.close();
    for (Member m : members) {
      try {
        m.close();
      } catch (RuntimeException e) {
        // best effort: the others still stop
      }
    }
  }

  // ------------------------------------------------------------------ members

  /** One server of the cluster, as the contract tests and the harness use it. */
  public abstract class Member implements AdapterContractTest.Node, AutoCloseable {
    private final List<String> recorded = Collections.synchronizedList(new ArrayList<>());

    /** Its id: {@code java-<i>} or {@code node-<i>}. */
    public abstract String id();

    /** {@code http://127.0.0.1:<port>}. */
    public abstract String url();

    /** The adapter's {@code serverCount()} of {@code nsp}. */
    public abstract int serverCount(String nsp);

    /** Ids of its sockets connected to {@code nsp}. */
    public abstract Set<String> sockets(String nsp);

    abstract void barrier();

    abstract void reset();

    abstract Set<String> rooms(String nsp, String sid);

    abstract void join(String nsp, String sid, String... rooms);

    abstract void putData(String nsp, String sid, String key, Object value);

    abstract JsonNode handshake(String nsp, String sid);

    /** Newly recorded server-side events, in {@code "event [args]"} form. */
    abstract List<String> drainServerSideEvents();

    /** Stops the server. */
    @Override
    public abstract void close();

    /** A new official client of this server, connected to {@code nsp} with {@code auth}. */
    public OfficialClient connect(String nsp, Map<String, ?> auth) {
      return new OfficialClient(this, nsp, host.connect(url(), nsp, auth));
    }

    @Override
    public OfficialClient connect(String nsp) {
      return connect(nsp, Map.of());
    }

    @Override
    public List<String> serverSideEvents() {
      recorded.addAll(drainServerSideEvents());
      synchronized (recorded) {
        return List.copyOf(recorded);
      }
    }

    void clearRecorded() {
      drainServerSideEvents();
      recorded.clear();
    }

    @Override
    public String toString() {
      return id();
    }
  }

  /** A Switchboard server in this JVM, with its own Redis link. */
  public final class JavaMember extends Member {
    private final String id;
    private final RedisLink link;
    private final SocketIoServer io;
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** The test's answer to {@code hello}: null silent; {@code helloOn} false: not handled at all. */
    private volatile Object helloAnswer;
    private volatile boolean helloOn;

    JavaMember(String id, Function<RedisLink, AdapterFactory> adapter, UnaryOperator<SocketIoOptions.Builder> options)
        throws Exception {
      this.id = id;
      this.link = RedisLink.connect(redis.url());
      SocketIoOptions.Builder b = options.apply(SocketIoOptions.builder());
      SocketIoOptions o = b.adapter(adapter.apply(link)).build();
      this.io = new SocketIoServer(o);
      for (String nsp : NAMESPACES) {
        io.of(nsp).onConnection(socket -> socket.on("__settle", (args, ack) -> ack.send()));
      }
      io.onServerSideEmit("whoami", (args, ack) -> ack.send(Map.of("kind", "java", "id", id)));
      io.onServerSideEmit("hello", (args, ack) -> {
        if (!helloOn) return;
        Object answer = helloAnswer;
        if (answer != null) ack.send(answer); // answered before recorded, as AdapterContractTest.Node says
        events.add("hello " + args);
      });
      io.listen(o.net().toBuilder().host("127.0.0.1").port(0).ioThreads(1).build());
    }

    /** The server. */
    public SocketIoServer io() {
      return io;
    }

    /** Its own Redis link. */
    public RedisLink link() {
      return link;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String url() {
      return "http://127.0.0.1:" + io.port();
    }

    @Override
    public int serverCount(String nsp) {
      try {
        return io.of(nsp).adapter().serverCount().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        return -1;
      }
    }

    @Override
    public Set<String> sockets(String nsp) {
      return new HashSet<>(io.of(nsp).sockets().keySet());
    }

    @Override
    void barrier() {
      try {
        io.serverSideEmitWithAck(BARRIER_TIMEOUT, "whoami").get(BARRIER_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the settle barrier from " + id + " failed", e);
      }
    }

    @Override
    void reset() {
      helloOn = false;
      helloAnswer = null;
      clearRecorded();
    }

    private Socket socket(String nsp, String sid) {
      Socket s = io.of(nsp).sockets().get(sid);
      if (s == null) throw new AssertionError("socket " + sid + " is not connected to " + id + nsp);
      return s;
    }

    @Override
    Set<String> rooms(String nsp, String sid) {
      Socket s = io.of(nsp).sockets().get(sid);
      return s == null ? Set.of() : s.rooms();
    }

    @Override
    void join(String nsp, String sid, String... rooms) {
      socket(nsp, sid).join(rooms);
    }

    @Override
    void putData(String nsp, String sid, String key, Object value) {
      socket(nsp, sid).data().put(key, value);
    }

    @Override
    JsonNode handshake(String nsp, String sid) {
      return socket(nsp, sid).handshake().toJson();
    }

    @Override
    List<String> drainServerSideEvents() {
      synchronized (events) {
        List<String> out = List.copyOf(events);
        events.clear();
        return out;
      }
    }

    @Override
    public void onServerSideEmit(String event, Object answer) {
      if (!event.equals("hello")) throw new UnsupportedOperationException("the harness handles hello only, not " + event);
      helloAnswer = answer;
      helloOn = true;
    }

    /** Closes the server, then its link. */
    @Override
    public void close() {
      try {
        io.close();
      } finally {
        link.close();
      }
    }
  }

  /** A Node server ({@code node-node.mjs}). */
  public final class NodeMember extends Member {
    private final NodeNodeProcess process;

    NodeMember(NodeNodeProcess process) {
      this.process = process;
    }

    /** The process, for the operations of node-node.mjs. */
    public NodeNodeProcess process() {
      return process;
    }

    @Override
    public String id() {
      return process.id();
    }

    @Override
    public String url() {
      return process.url();
    }

    @Override
    public int serverCount(String nsp) {
      return process.call("serverCount", "nsp", nsp).asInt(-1);
    }

    @Override
    public Set<String> sockets(String nsp) {
      Set<String> out = new LinkedHashSet<>();
      for (JsonNode id : process.call("sockets", "nsp", nsp)) out.add(id.asText());
      return out;
    }

    @Override
    void barrier() {
      JsonNode r = process.call("serverSideEmit", "event", "whoami", "withAck", true);
      if (!r.path("error").isNull()) throw new AssertionError("the settle barrier from " + id() + " failed: " + r);
    }

    @Override
    void reset() {
      process.call("helloReply", "value", id());
      clearRecorded();
    }

    @Override
    Set<String> rooms(String nsp, String sid) {
      Set<String> out = new LinkedHashSet<>();
      for (JsonNode r : process.call("rooms", "nsp", nsp, "sid", sid)) out.add(r.asText());
      return out;
    }

    @Override
    void join(String nsp, String sid, String... rooms) {
      for (String room : rooms) process.call("join", "nsp", nsp, "sid", sid, "room", room);
    }

    @Override
    void putData(String nsp, String sid, String key, Object value) {
      process.call("putData", "nsp", nsp, "sid", sid, "key", key, "value", ClientHost.toWire(value));
    }

    @Override
    JsonNode handshake(String nsp, String sid) {
      return process.call("handshake", "nsp", nsp, "sid", sid);
    }

    @Override
    List<String> drainServerSideEvents() {
      List<String> out = new ArrayList<>();
      for (JsonNode e : process.call("serverSideEvents")) {
        ArrayNode args = JsonLineProcess.JSON.createArrayNode();
        for (int i = 1; i < e.size(); i++) args.add(ClientHost.fromWire(e.get(i)));
        out.add(e.path(0).asText() + " " + args);
      }
      return out;
    }

    @Override
    public void onServerSideEmit(String event, Object answer) {
      if (!event.equals("hello")) throw new UnsupportedOperationException("node-node.mjs handles hello only, not " + event);
      if (answer == null) process.call("helloReply", "silent", true);
      else process.call("helloReply", "value", ClientHost.toWire(answer));
    }

    @Override
    public void close() {
      process.close();
    }
  }

  /** An official client of one member, as {@link AdapterContractTest} sees a client. */
  public final class OfficialClient implements AdapterContractTest.Client {
    private final Member member;
    private final String nsp;
    private final ClientHost.Handle handle;

    OfficialClient(Member member, String nsp, ClientHost.Handle handle) {
      this.member = member;
      this.nsp = nsp;
      this.handle = handle;
    }

    /** The server it is connected to. */
    public Member member() {
      return member;
    }

    /** Its handle in the client host. */
    public ClientHost.Handle handle() {
      return handle;
    }

    @Override
    public String id() {
      return handle.id();
    }

    @Override
    public void join(String... rooms) {
      member.join(nsp, handle.id(), rooms);
    }

    @Override
    public Set<String> rooms() {
      return member.rooms(nsp, handle.id());
    }

    @Override
    public void putData(String key, Object value) {
      member.putData(nsp, handle.id(), key, value);
    }

    @Override
    public JsonNode handshake() {
      return member.handshake(nsp, handle.id());
    }

    @Override
    public List<ArrayNode> received(String event) {
      return host.received(handle, event);
    }

    @Override
    public void answer(String event, Object value) {
      host.answer(handle, event, value);
    }

    @Override
    public boolean disconnectedByServer() {
      return "io server disconnect".equals(host.disconnectReason(handle));
    }

    /** The client emits {@code event} to its server. */
    public void emit(String event, Object... args) {
      host.emit(handle, event, args);
    }

    @Override
    public String toString() {
      return handle.id() + "@" + member.id();
    }
  }
}
