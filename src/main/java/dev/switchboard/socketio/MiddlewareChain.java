package dev.switchboard.socketio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One run of a middleware chain: the runner behind all three chains of the package, so that they
 * give the same guarantees.
 *
 * <ul>
 *   <li>handshake middlewares ({@code io.use}, {@code namespace.use}: steps are {@link Middleware},
 *       a refusal is a {@link ConnectError}, the outcome connects the socket or answers
 *       CONNECT_ERROR) — socket.io-protocol §Connection to a namespace;</li>
 *   <li>a dynamic namespace's middlewares ({@code io.of(pattern).use}): the same chain, the
 *       parent's steps first, then the child's own;</li>
 *   <li>per-packet middlewares ({@code socket.use}: steps are {@link PacketMiddleware}, a refusal
 *       is any {@link Exception}, reported to the socket's {@code onError} listeners; acceptance
 *       dispatches the event).</li>
 * </ul>
 *
 * <p>The guarantees:
 * <ol>
 *   <li><b>Snapshot.</b> The steps are fixed when the run starts: a step that adds a middleware
 *       affects the next run, not this one.</li>
 *   <li><b>At most once.</b> Each step answers through its own {@link Link}; the first
 *       {@code proceed()} or {@code fail(...)} takes effect, any later call on that link is
 *       ignored. So a step that calls {@code proceed()} twice does not run the rest of the chain
 *       twice.</li>
 *   <li><b>Exceptions are refusals.</b> A step that throws (before answering) ends the run with
 *       the failure {@code onThrow} makes of the exception.</li>
 *   <li><b>One thread.</b> Steps and the outcome run on {@code executor} (the socket's serial
 *       executor), never concurrently with the socket's other work: a step may answer now or
 *       later from any thread (a password check on a pool), and the run continues in a task of
 *       the executor. The first step and an empty chain's outcome run inside {@link #start()}.</li>
 *   <li><b>Abandoned when moot.</b> Before each step and before the outcome, {@code live} is
 *       asked; when it says no (the connection closed, the socket disconnected) the run stops
 *       silently.</li>
 * </ol>
 *
 * <p>Threading: {@link #start()} on the executor; {@link Link} from any thread.
 *
 * @param <T> the step type ({@link Middleware} or {@link PacketMiddleware})
 * @param <E> what a refusal carries ({@link ConnectError} or {@link Exception})
 */
final class MiddlewareChain<T, E extends Exception> {
  /** Calls one step, which answers through {@code link}. */
  @FunctionalInterface
  interface Invoker<T, E extends Exception> {
    void invoke(T step, Link<E> link);
  }

  /** The end of a run: every step proceeded, or one refused. Runs on the executor. */
  interface Outcome<E> {
    void accepted();

    void refused(E error);
  }

  private final List<T> steps;
  private final Executor executor;
  private final BooleanSupplier live;
  private final Invoker<T, E> invoker;
  private final Function<RuntimeException, E> onThrow;
  private final Outcome<E> outcome;

  /**
   * @param steps the snapshot to run (immutable)
   */
  MiddlewareChain(List<T> steps, Executor executor, BooleanSupplier live, Invoker<T, E> invoker,
      Function<RuntimeException, E> onThrow, Outcome<E> outcome) {
    this.steps = steps;
    this.executor = executor;
    this.live = live;
    this.invoker = invoker;
    this.onThrow = onThrow;
    this.outcome = outcome;
  }

  /** Executor: runs the first step (or, for an empty chain, the outcome) now. */
  void start() {
    run(0);
  }

  private void run(int index) {
    if (!live.getAsBoolean()) return;
    if (index == steps.size()) {
      outcome.accepted();
      return;
    }
    Link<E> link = new Link<>(this, index);
    try {
      invoker.invoke(steps.get(index), link);
    } catch (RuntimeException e) {
      if (link.claim()) outcome.refused(onThrow.apply(e));
    }
  }

  private void refuse(E error) {
    if (live.getAsBoolean()) outcome.refused(error);
  }

  /**
   * How one step answers: {@link #proceed()} or {@link #fail}, once, from any thread. Only the
   * first call counts; later ones are ignored.
   */
  static final class Link<E extends Exception> {
    private static final VarHandle ANSWERED;

    static {
      try {
        ANSWERED = MethodHandles.lookup().findVarHandle(Link.class, "answered", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final MiddlewareChain<?, E> chain;
    private final int index;
    /** Set by the first answer; read and set only through {@link #ANSWERED}. */
    private volatile boolean answered;

    private Link(MiddlewareChain<?, E> chain, int index) {
      this.chain = chain;
      this.index = index;
    }

    /** The step accepts: the next one runs, in a task of the executor. */
    void proceed() {
      if (claim()) chain.executor.execute(() -> chain.run(index + 1));
    }

    /** The step refuses: the run ends with {@code error}, in a task of the executor. */
    void fail(E error) {
      if (claim()) chain.executor.execute(() -> chain.refuse(error));
    }

    /** Whether this is the step's first answer. */
    private boolean claim() {
      return ANSWERED.compareAndSet(this, false, true);
    }
  }
}
