package dev.switchboard.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Two ways for a fuzz target to see memory that a limit should have prevented: what a decoder
 * keeps in its buffers between calls, and what one decode allocates in passing.
 */
final class Memory {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Memory() {}

  /**
   * The largest {@code byte[]} or {@code char[]} held in an instance field of {@code o}. Read by
   * reflection so that the check needs no accessor in production code and still sees a buffer a
   * later change adds.
   */
  static int largestBuffer(Object o) {
    int max = 0;
    for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) continue;
        Class<?> t = f.getType();
        if (t != byte[].class && t != char[].class) continue;
        f.setAccessible(true);
        try {
          Object v = f.get(o);
          if (v instanceof byte[] b) max = Math.max(max, b.length);
          if (v instanceof char[] ch) max = Math.max(max, ch.length);
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return max;
  }

  /** Bytes this thread allocated while running {@code action}, exact on HotSpot. */
  static long allocatedBy(Runnable action) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    action.run();
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
