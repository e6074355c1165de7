package io.github.waitingqueue.internal;

import io.github.waitingqueue.InvalidInputException;
import io.github.waitingqueue.InvalidTokenException;
import io.github.waitingqueue.SigningKeys;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Issues and reads the opaque tokens handed to users: a waiting token for a place in line, a
 * reservation token for an admission. Both carry the {@link Ticket} they stand for, so no lookup is
 * needed to find it, and an HMAC-SHA256 signature with the id of the key that made it.
 *
 * <p>A token is two URL-safe Base64 parts joined by a dot: the payload (format version, kind, key id,
 * sequence, event id, user id, from format 2 on the second of the join, from format 3 on the
 * event's incarnation) and its signature. Tokens are deterministic: the same ticket always gets
 * the same token, which is what makes a repeated {@code join} or {@code enter} return the very same one.
 * Reading checks the length, the structure, the key id and (in constant time) the signature before it
 * believes anything in the payload. Implementations read tokens before touching their store, so a bad
 * token never reaches it.
 */
public final class Tokens {
  /** Longest token accepted; anything longer is refused before decoding. */
  public static final int MAX_TOKEN_LENGTH = 1024;

  /**
   * The format tokens are issued in; formats 1 (without the join time) and 2 (without the incarnation)
   * are still read.
   */
  private static final byte VERSION = 3;
  private static final byte FIRST_VERSION = 1;
  private static final byte SECOND_VERSION = 2;
  private static final byte WAITING = 'W';
  private static final byte RESERVATION = 'R';
  private static final int SIGNATURE_BYTES = 32;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private final Signer keys;

  /**
   * Creates a codec over the given keys.
   *
   * @param keys the signing keys; not null
   */
  public Tokens(SigningKeys keys) {
    this.keys = KeyAccess.signer(Objects.requireNonNull(keys, "keys"));
  }

  /**
   * The waiting token of a ticket, signed with the current key.
   *
   * @param ticket the ticket
   * @return a URL-safe token
   */
  public String waitingToken(Ticket ticket) {
    return issue(WAITING, ticket);
  }

  /**
   * The reservation token of an admitted ticket, signed with the current key.
   *
   * @param ticket the ticket that was admitted
   * @return a URL-safe token
   */
  public String reservationToken(Ticket ticket) {
    return issue(RESERVATION, ticket);
  }

  /**
   * Reads and verifies a waiting token.
   *
   * @param token the token as the user sent it
   * @return the ticket it stands for
   * @throws InvalidInputException when null or blank
   * @throws InvalidTokenException when garbled, forged, signed with an unknown key or not a waiting token
   */
  public Ticket readWaitingToken(String token) {
    return read(WAITING, "waitingToken", token);
  }

  /**
   * Reads and verifies a reservation token.
   *
   * @param token the token as the user sent it
   * @return the ticket whose admission it proves
   * @throws InvalidInputException when null or blank
   * @throws InvalidTokenException when garbled, forged, signed with an unknown key or not a reservation token
   */
  public Ticket readReservationToken(String token) {
    return read(RESERVATION, "reservationToken", token);
  }

  private String issue(byte kind, Ticket ticket) {
    Objects.requireNonNull(ticket, "ticket");
    byte[] keyId = keys.currentKeyId().getBytes(StandardCharsets.US_ASCII);
    byte[] event = ticket.eventId().getBytes(StandardCharsets.US_ASCII);
    byte[] user = ticket.userId().getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(3 + keyId.length + 8 + 1 + event.length + 2 + user.length + 8 + 8);
    payload.put(VERSION).put(kind).put((byte) keyId.length).put(keyId);
    payload.putLong(ticket.sequence());
    payload.put((byte) event.length).put(event);
    payload.putShort((short) user.length).put(user);
    payload.putLong(ticket.joinedSecond());
    payload.putLong(ticket.incarnation());
    byte[] bytes = payload.array();
    return ENCODER.encodeToString(bytes) + '.' + ENCODER.encodeToString(keys.sign(bytes));
  }

  private Ticket read(byte kind, String name, String token) {
    if (token == null) {
      throw new InvalidInputException(name + " must not be null");
    }
    if (token.isBlank()) {
      throw new InvalidInputException(name + " must not be blank");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException(name + " is longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || token.indexOf('.', dot + 1) >= 0 || dot == token.length() - 1) {
      throw new InvalidTokenException(name + " is malformed: expected two parts separated by one '.'");
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODER.decode(token.substring(0, dot));
      signature = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(name + " is malformed: not URL-safe Base64");
    }
    // Only the one canonical spelling of the bytes: no padding, no stray low bits in the last character,
    // so a ticket has exactly one token string (no variants that caches or rate limits would count apart).
    if (!canonical(token, 0, dot) || !canonical(token, dot + 1, token.length())) {
      throw new InvalidTokenException(name + " is malformed: not in canonical URL-safe Base64");
    }
    if (signature.length != SIGNATURE_BYTES) {
      throw new InvalidTokenException(name + " is malformed: signature has the wrong length");
    }
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      byte version = in.get();
      if (version != VERSION && version != SECOND_VERSION && version != FIRST_VERSION) {
        throw new InvalidTokenException(name + " has an unknown format version");
      }
      byte actualKind = in.get();
      String keyId = ascii(in, Byte.toUnsignedInt(in.get()));
      // Authenticate before believing anything else in the payload.
      if (!keys.knows(keyId)) {
        throw new InvalidTokenException(name + " is signed with an unknown key id");
      }
      if (!keys.verify(keyId, payload, signature)) {
        throw new InvalidTokenException(name + " has an invalid signature");
      }
      if (actualKind != kind) {
        throw new InvalidTokenException(name + " is a " + (actualKind == WAITING ? "waiting" : "reservation")
            + " token, not a " + (kind == WAITING ? "waiting" : "reservation") + " token");
      }
      long sequence = in.getLong();
      String eventId = ascii(in, Byte.toUnsignedInt(in.get()));
      int userLength = Short.toUnsignedInt(in.getShort());
      if (userLength > in.remaining()) {
        throw new InvalidTokenException(name + " is malformed: truncated");
      }
      byte[] user = new byte[userLength];
      in.get(user);
      long joinedSecond = version == FIRST_VERSION ? Ticket.UNKNOWN : in.getLong();
      long incarnation = version == VERSION ? in.getLong() : Ticket.UNKNOWN;
      if (in.hasRemaining()) {
        throw new InvalidTokenException(name + " is malformed: trailing bytes");
      }
      String userId = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(user))
          .toString();
      return new Ticket(eventId, userId, sequence, joinedSecond, incarnation);
    } catch (java.nio.BufferUnderflowException | CharacterCodingException e) {
      throw new InvalidTokenException(name + " is malformed: truncated or garbled");
    } catch (InvalidTokenException e) {
      throw e;
    } catch (InvalidInputException e) {
      // A correctly signed token always holds valid ids; this only happens with a leaked key.
      throw new InvalidTokenException(name + " holds invalid content");
    }
  }

  /**
   * Whether {@code text[from, to)}, which the decoder accepted, is the unpadded encoding of what it
   * decodes to: no '=', and the bits of the last character beyond the last whole byte are zero (what
   * re-encoding the bytes and comparing would tell, without the copies).
   */
  private static boolean canonical(String text, int from, int to) {
    if (text.charAt(to - 1) == '=') {
      return false;
    }
    int spare = (to - from) % 4; // 2 characters carry 1 byte (4 bits spare), 3 carry 2 bytes (2 bits spare)
    if (spare == 0) {
      return true;
    }
    int last = URL_SAFE.indexOf(text.charAt(to - 1));
    return spare == 2 ? (last & 0x0F) == 0 : (last & 0x03) == 0;
  }

  private static String ascii(ByteBuffer in, int length) {
    if (length > in.remaining()) {
      throw new java.nio.BufferUnderflowException();
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
