package io.github.waitingqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.SigningKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenFormatTest {
  private static final SigningKeys KEYS = SigningKeys.ofText("k1", "token-format-test-secret-of-32-bytes-or-more");
  private final Tokens tokens = new Tokens(KEYS);

  @Test
  void aWaitingTokenCarriesTheSecondOfTheJoin() {
    Ticket ticket = new Ticket("concert", "bob", 7, 1_764_000_000L);

    assertThat(tokens.readWaitingToken(tokens.waitingToken(ticket))).isEqualTo(ticket);
  }

  @Test
  void aWaitingTokenCarriesTheIncarnationOfItsEvent() {
    Ticket ticket = new Ticket("concert", "bob", 7, 1_764_000_000L, 1_764_000_000_123L);

    Ticket read = tokens.readWaitingToken(tokens.waitingToken(ticket));

    assertThat(read.incarnation()).isEqualTo(1_764_000_000_123L);
    assertThat(read.ofIncarnation(1_764_000_000_123L)).isTrue();
    assertThat(read.ofIncarnation(1_764_000_000_124L)).isFalse();
  }

  @Test
  void aTokenOfTheSecondFormatIsStillReadWithoutAnIncarnationAndFitsAnyLifeOfItsEvent() {
    byte[] keyId = "k1".getBytes(StandardCharsets.US_ASCII);
    byte[] event = "concert".getBytes(StandardCharsets.US_ASCII);
    byte[] user = "bob".getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(3 + keyId.length + 8 + 1 + event.length + 2 + user.length + 8);
    payload.put((byte) 2).put((byte) 'W').put((byte) keyId.length).put(keyId).putLong(7)
        .put((byte) event.length).put(event).putShort((short) user.length).put(user).putLong(1_764_000_000L);
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String secondFormat = base64.encodeToString(payload.array()) + '.'
        + base64.encodeToString(KeyAccess.signer(KEYS).sign(payload.array()));

    Ticket read = tokens.readWaitingToken(secondFormat);

    assertThat(read).isEqualTo(new Ticket("concert", "bob", 7, 1_764_000_000L));
    assertThat(read.incarnation()).isEqualTo(Ticket.UNKNOWN);
    assertThat(read.ofIncarnation(42)).isTrue();
  }

  @Test
  void aTokenOfTheFirstFormatIsStillReadWithoutAJoinTime() {
    byte[] keyId = "k1".getBytes(StandardCharsets.US_ASCII);
    byte[] event = "concert".getBytes(StandardCharsets.US_ASCII);
    byte[] user = "bob".getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(3 + keyId.length + 8 + 1 + event.length + 2 + user.length);
    payload.put((byte) 1).put((byte) 'W').put((byte) keyId.length).put(keyId).putLong(7)
        .put((byte) event.length).put(event).putShort((short) user.length).put(user);
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String firstFormat = base64.encodeToString(payload.array()) + '.'
        + base64.encodeToString(KeyAccess.signer(KEYS).sign(payload.array()));

    Ticket read = tokens.readWaitingToken(firstFormat);

    assertThat(read).isEqualTo(new Ticket("concert", "bob", 7));
    assertThat(read.joinedSecond()).isEqualTo(Ticket.UNKNOWN);
  }
}
