package io.github.waitingqueue.history;

import io.github.waitingqueue.internal.Ticket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads the ticket inside a token the queue under test issued, without checking its signature (the
 * checkers only see tokens the queue itself returned). Layout: version, kind, key id length, key id,
 * sequence (8 bytes), event id length, event id, user id length (2 bytes), user id.
 */
final class Tickets {
  private Tickets() {}

  static Ticket of(String token) {
    ByteBuffer in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
    in.get();
    in.get();
    int keyIdLength = Byte.toUnsignedInt(in.get());
    in.position(in.position() + keyIdLength);
    long sequence = in.getLong();
    byte[] event = new byte[Byte.toUnsignedInt(in.get())];
    in.get(event);
    byte[] user = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(user);
    return new Ticket(new String(event, StandardCharsets.US_ASCII), new String(user, StandardCharsets.UTF_8), sequence);
  }
}
