/**
 * Time and ordering as dependencies: the lowest layer, used by every other package and using none
 * of them.
 *
 * <ul>
 *   <li>{@link dev.switchboard.scheduling.Scheduler} — every timeout in the server (heartbeat,
 *       upgrade, connect and ack timeouts, HTTP read deadlines, token expiry, rate-limit windows)
 *       is scheduled through it, and every clock is read through it, so tests drive time with
 *       {@code FakeScheduler.advanceBy(...)} instead of sleeping. Nothing else in the server calls
 *       {@code System.nanoTime} or sleeps.
 *   <li>{@link dev.switchboard.scheduling.SystemScheduler} — the production scheduler: one daemon
 *       timer thread ({@code switchboard-timer}); cancelled timers are removed at once, so a
 *       heartbeat reset a million times holds one timer.
 *   <li>{@link dev.switchboard.scheduling.Cancellable} — the handle of a scheduled task.
 *   <li>{@link dev.switchboard.scheduling.SerialExecutor} — runs tasks one at a time, in
 *       submission order, on a shared pool. Each Engine.IO session owns one, and the Socket.IO
 *       sockets of that session share it; it is how "one connection's handlers never run
 *       concurrently" holds without a thread per connection.
 * </ul>
 *
 * <pre>{@code
 * Cancellable heartbeat = scheduler.schedule(Duration.ofSeconds(25), () -> session.executor().execute(this::ping));
 * heartbeat.cancel();   // idempotent
 * }</pre>
 *
 * <p>Threading: both types are thread-safe. Timer tasks run on the timer thread and must only hand
 * work on (to a serial executor), never do it there: one slow timer task delays every timer of
 * the server. The whole picture is in {@code spec-notes/threading.md}, "Serial executors".
 *
 * <p>Depends on: the JDK ({@code java.util.concurrent}) and slf4j-api.
 */
package dev.switchboard.scheduling;
