package io.github.waitingqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.waitingqueue.internal.Ticket;
import io.github.waitingqueue.internal.Tokens;
import org.junit.jupiter.api.Test;

/** A ticket has exactly one token string: other spellings of the same bytes are rejected. */
class TokensCanonicalEncodingTest {
  private final Tokens tokens = new Tokens(SigningKeys.ofText("k", "tokens-canonical-test-secret-32-bytes!"));
  private final String token = tokens.waitingToken(new Ticket("concert", "bob", 2));

  @Test
  void theIssuedTokenIsAccepted() {
    assertThat(tokens.readWaitingToken(token)).isEqualTo(new Ticket("concert", "bob", 2));
  }

  @Test
  void paddingIsRejected() {
    assertThatThrownBy(() -> tokens.readWaitingToken(token + "=")).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void strayLowBitsInTheLastCharacterAreRejected() {
    // 32 signature bytes take 43 characters whose last one carries 2 unused bits: flip one of them
    char last = token.charAt(token.length() - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String sameBytes = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
    assertThatThrownBy(() -> tokens.readWaitingToken(sameBytes)).isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("canonical");
  }
}
