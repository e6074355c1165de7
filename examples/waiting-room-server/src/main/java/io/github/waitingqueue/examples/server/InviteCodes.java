package io.github.waitingqueue.examples.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed invite codes to the presale lanes of an event: the application's decision of who may join which
 * lane, taken when an operator mints the code (for a fan club's members, a partner's customers), and
 * checked at join without any lookup. The library takes the lane as a parameter and trusts the caller; this
 * is the caller's check.
 *
 * <p>A code is {@code base64url(payload) "." base64url(HMAC-SHA256(payload))}, the payload being the event,
 * the lane, the user it is for (empty: anyone who has the code) and its expiry in epoch seconds, one per
 * line. Verification is constant-time; a garbled, forged, expired or foreign code is refused with the reason,
 * and nothing is joined.
 */
final class InviteCodes {
  private static final Logger LOG = LoggerFactory.getLogger(InviteCodes.class);
  /** Longest code accepted: a bound on the work an attacker's input costs. */
  static final int MAX_LENGTH = 1024;
  private static final String VERSION = "i1";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  /** What an invite grants: joining {@code lane} of {@code eventId}, for {@code userId} or (null) anyone, until {@code expiresAt}. */
  record Invite(String eventId, String lane, String userId, Instant expiresAt) {}

  /** Why a code was refused; its message can be shown to the user. */
  static final class InvalidInvite extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidInvite(String message) {
      super(message);
    }
  }

  private final SecretKeySpec key;

  InviteCodes(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /**
   * The codes of the configured secret, or of a random one (announced in one WARN line: codes then stop
   * verifying at a restart and on other instances).
   */
  static InviteCodes of(String secret) {
    if (secret == null || secret.isBlank()) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      LOG.warn("waitingroom.invite-secret is not set: invite codes are signed with a random key of this process, "
          + "and stop verifying when it restarts or on another instance. Set INVITE_SECRET (32+ random bytes).");
      return new InviteCodes(random);
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 32) {
      throw new InvalidQueuePropertyException("waitingroom.invite-secret", "must be at least 32 bytes, got " + bytes.length);
    }
    return new InviteCodes(bytes);
  }

  /** Signs an invite. Its fields hold no line break (ids and lanes are validated before). */
  String mint(Invite invite) {
    String payload = String.join("\n", VERSION, invite.eventId(), invite.lane(),
        invite.userId() == null ? "" : invite.userId(), Long.toString(invite.expiresAt().getEpochSecond()));
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
  }

  /**
   * Checks a code for a join of {@code userId} to {@code eventId} at {@code now}.
   *
   * @return the lane it grants
   * @throws InvalidInvite when the code is garbled, forged, expired, or for another event or user
   */
  String laneFor(String code, String eventId, String userId, Instant now) {
    Invite invite = read(code);
    if (!invite.eventId().equals(eventId)) {
      throw new InvalidInvite("this invite code is for another event");
    }
    if (invite.userId() != null && !invite.userId().equals(userId)) {
      throw new InvalidInvite("this invite code is for another user");
    }
    if (!now.isBefore(invite.expiresAt())) {
      throw new InvalidInvite("this invite code expired at " + invite.expiresAt());
    }
    return invite.lane();
  }

  /** The invite a code carries, once its signature is checked. */
  Invite read(String code) {
    if (code.length() > MAX_LENGTH) {
      throw new InvalidInvite("invite code not recognised");
    }
    int dot = code.indexOf('.');
    byte[] payload;
    byte[] signature;
    try {
      payload = Base64.getUrlDecoder().decode(code.substring(0, Math.max(dot, 0)));
      signature = Base64.getUrlDecoder().decode(code.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidInvite("invite code not recognised");
    }
    if (dot < 0 || !MessageDigest.isEqual(mac(payload), signature)) {
      throw new InvalidInvite("invite code not recognised");
    }
    String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
    if (fields.length != 5 || !fields[0].equals(VERSION)) {
      throw new InvalidInvite("invite code not recognised");
    }
    return new Invite(fields[1], fields[2], fields[3].isEmpty() ? null : fields[3],
        Instant.ofEpochSecond(Long.parseLong(fields[4])));
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
