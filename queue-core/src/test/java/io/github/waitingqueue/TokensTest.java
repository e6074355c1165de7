package io.github.waitingqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.internal.Tokens;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokensTest {
  private final Tokens tokens = new Tokens(SigningKeys.ofText("k1", "tokens-test-secret-of-32-bytes-or-more"));
  private final Ticket ticket = new Ticket("concert-1", "user@example.com", 42);

  @Test
  void aWaitingTokenReadsBackToItsTicket() {
    assertThat(tokens.readWaitingToken(tokens.waitingToken(ticket))).isEqualTo(ticket);
  }

  @Test
  void aReservationTokenReadsBackToItsTicket() {
    assertThat(tokens.readReservationToken(tokens.reservationToken(ticket))).isEqualTo(ticket);
  }

  @Test
  void tokensAreDeterministicAndUrlSafe() {
    String token = tokens.waitingToken(ticket);

    assertThat(tokens.waitingToken(ticket)).isEqualTo(token);
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
  }

  @Test
  void waitingAndReservationTokensOfOneTicketDiffer() {
    assertThat(tokens.waitingToken(ticket)).isNotEqualTo(tokens.reservationToken(ticket));
  }

  @Test
  void theLongestIdsFitWithinTheTokenLimit() {
    Ticket big = new Ticket("e".repeat(64), "😀".repeat(64), Long.MAX_VALUE);

    String token = tokens.waitingToken(big);

    assertThat(token.length()).isLessThanOrEqualTo(Tokens.MAX_TOKEN_LENGTH);
    assertThat(tokens.readWaitingToken(token)).isEqualTo(big);
  }

  @Test
  void everySingleCharacterChangeIsRejected() {
    String token = tokens.waitingToken(ticket);
    byte[] chars = token.getBytes(StandardCharsets.US_ASCII);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] == '.') {
        continue;
      }
      byte[] copy = chars.clone();
      copy[i] = (byte) alphabet.charAt((alphabet.indexOf(copy[i]) + 1) % 64);
      String mutated = new String(copy, StandardCharsets.US_ASCII);
      if (mutated.equals(token)) {
        continue;
      }
      int at = i;
      assertThatThrownBy(() -> tokens.readWaitingToken(mutated)).as("character %d changed", at)
          .isInstanceOf(InvalidTokenException.class);
    }
  }

  @Test
  void truncationAtEveryLengthIsRejected() {
    String token = tokens.waitingToken(ticket);
    for (int i = 1; i < token.length() - 1; i++) {
      String cut = token.substring(0, i);
      assertThatThrownBy(() -> tokens.readWaitingToken(cut)).as("prefix of %d", i)
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void errorMessagesNeverEchoTheToken() {
    String token = tokens.waitingToken(ticket);

    assertThatThrownBy(() -> tokens.readReservationToken(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageNotContaining(token)
        .hasMessageContaining("not a reservation token");
  }
}
