package io.github.waitingqueue.redis;

import java.util.Locale;

/** The operations of the Lua library: one file {@code <name>.lua} each, one function each. */
enum Operation {
  JOIN, STATUS, ENTER, LEAVE, VERIFY, END_RESERVATION, STATS, CONFIGURE, LIFECYCLE, SWEEP, PURGE, AUDIT, MIRROR, LINE;

  /** The file name without {@code .lua}, also the function's name stem. */
  String stem() {
    return name().toLowerCase(Locale.ROOT);
  }
}
