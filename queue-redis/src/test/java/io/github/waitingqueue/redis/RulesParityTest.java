package io.github.waitingqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.waitingqueue.EventSettings;
import io.github.waitingqueue.internal.QueueRules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rules written both in Lua (common.lua) and in Java ({@link QueueRules}) agree, input by input:
 * the Lua helpers are run on a real Redis with the library's own constants.
 */
class RulesParityTest {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.ownServer();

  /** Runs {@code expression} after the library's constants and common.lua, with ARGV as given. */
  private static List<Long> lua(String expression, List<String> args) {
    String source = ScriptLibrary.constants() + commonLua() + "\nreturn " + expression;
    @SuppressWarnings("unchecked")
    List<Long> reply = (List<Long>) REDIS.client().eval(source, List.of("k{x}"), args);
    return reply;
  }

  private static String commonLua() {
    try (var in = ScriptLibrary.class.getResourceAsStream("common.lua")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void heartbeatWindowsAndStalenessAreComputedAlike() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 500; i++) {
      long idle = 2_000 + random.nextLong(86_400_000);
      long now = 1_700_000_000_000L + random.nextLong(1L << 40);
      long last = random.nextLong(QueueRules.HB_SPAN);
      List<Long> r = lua("{window_of({idle = tonumber(ARGV[1])}, tonumber(ARGV[2])),"
          + " ((window_of({idle = tonumber(ARGV[1])}, tonumber(ARGV[2])) - tonumber(ARGV[3])) % HB_SPAN >= HB_WINDOWS) and 1 or 0}",
          List.of(Long.toString(idle), Long.toString(now), Long.toString(last)));
      long window = QueueRules.window(idle, now);
      assertThat(r.get(0)).as("window idle=%d now=%d", idle, now).isEqualTo(window);
      assertThat(r.get(1) == 1).isEqualTo(QueueRules.stale(last, window));
    }
  }

  @Test
  void theMeasuredRatesDecayIsTheSameDoubleInLuaAndJava() {
    SplittableRandom random = new SplittableRandom(14);
    List<String> args = new ArrayList<>();
    StringBuilder lua = new StringBuilder("{");
    for (int i = 0; i < 400; i++) {
      double x = i < 200 ? random.nextDouble() * 3 : random.nextDouble() * 45;
      args.add(Double.toString(x));
      lua.append(String.format("fmt_float(decay(tonumber(ARGV[%d]))),", i + 1));
    }
    String source = ScriptLibrary.constants() + commonLua() + "\nreturn " + lua.append("}");
    @SuppressWarnings("unchecked")
    List<Object> reply = (List<Object>) REDIS.client().eval(source, List.of("k{x}"), args);

    for (int i = 0; i < args.size(); i++) {
      double x = Double.parseDouble(args.get(i));
      double inLua = Double.parseDouble(Replies.string(reply.get(i)));
      assertThat(inLua).as("decay(%s)", x).isEqualTo(QueueRules.decay(x));
      assertThat(QueueRules.decay(x)).isCloseTo(x >= QueueRules.DECAY_LIMIT ? 0 : Math.exp(-x),
          org.assertj.core.data.Offset.offset(1e-13 + Math.exp(-x) * 1e-12));
    }
  }

  @Test
  void scoresEncodeAndDecodeTheSameLaneSequenceAndWindowUnderTheDraw() {
    SplittableRandom random = new SplittableRandom(12);
    for (int i = 0; i < 200; i++) {
      String seed = QueueRules.newDrawSeed(random);
      long[] keys = QueueRules.drawKeys(seed);
      String dk = java.util.Arrays.stream(keys).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(" "));
      long seq = 1 + random.nextLong(QueueRules.PRE_BITS - 1);
      long window = random.nextLong(QueueRules.HB_SPAN);
      long fifoSeq = 1 + random.nextLong(QueueRules.MAX_SEQUENCE);
      long priority = random.nextLong(QueueRules.MAX_LANE_PRIORITY + 1);
      long block = QueueRules.laneBlock(priority);
      String lanes = "a=1,lane-" + priority + "=" + priority + ",z=0";
      List<String> args = List.of(Long.toString(seq), dk, Long.toString(window), Long.toString(fifoSeq), lanes,
          "lane-" + priority);
      List<Long> r = lua("{prequeue_score({dk = ARGV[2]}, lane_block(ARGV[5], ARGV[6]), tonumber(ARGV[1]), tonumber(ARGV[3])),"
          + " seq_of({dk = ARGV[2]}, prequeue_score({dk = ARGV[2]}, lane_block(ARGV[5], ARGV[6]), tonumber(ARGV[1]), tonumber(ARGV[3]))),"
          + " window_in(prequeue_score({dk = ARGV[2]}, lane_block(ARGV[5], ARGV[6]), tonumber(ARGV[1]), tonumber(ARGV[3]))),"
          + " fifo_score(lane_block(ARGV[5], ARGV[6]), tonumber(ARGV[4]), tonumber(ARGV[3])),"
          + " seq_of({}, fifo_score(lane_block(ARGV[5], ARGV[6]), tonumber(ARGV[4]), tonumber(ARGV[3]))),"
          + " window_in(fifo_score(lane_block(ARGV[5], ARGV[6]), tonumber(ARGV[4]), tonumber(ARGV[3]))),"
          + " block_of(fifo_score(lane_block(ARGV[5], ARGV[6]), tonumber(ARGV[4]), tonumber(ARGV[3]))),"
          + " block_of(prequeue_score({dk = ARGV[2]}, lane_block(ARGV[5], ARGV[6]), tonumber(ARGV[1]), tonumber(ARGV[3]))),"
          + " lane_block(ARGV[5], ARGV[6])}", args);
      long preScore = block * QueueRules.LANE_SPAN + (QueueRules.drawPlace(keys, seq) - QueueRules.PRE_BITS) * QueueRules.HB_SPAN + window;
      long fifoScore = block * QueueRules.LANE_SPAN + fifoSeq * QueueRules.HB_SPAN + window;
      assertThat(r.get(0)).isEqualTo(preScore);
      assertThat(r.get(3)).isEqualTo(fifoScore);
      assertThat(r.subList(1, 3)).containsExactly(seq, window);
      assertThat(r.subList(4, 9)).containsExactly(fifoSeq, window, block, block, block);
      assertThat(QueueRules.blockOf(preScore)).isEqualTo(block);
      assertThat(QueueRules.blockOf(fifoScore)).isEqualTo(block);
      assertThat(Math.abs(preScore)).as("exact in a double").isLessThan(1L << 53);
      assertThat(QueueRules.drawSequence(keys, QueueRules.drawPlace(keys, seq))).isEqualTo(seq);
    }
  }

  @Test
  void theLanesOfTheSettingsAreTheLanesTheScriptsFind() {
    EventSettings settings = EventSettings.builder().lane("fan.club_1", 7).lane("pre-sale", 1).lane("general", 0).build();
    String text = Replies.lanes(settings.lanes());
    for (var lane : settings.lanes().entrySet()) {
      List<Long> r = lua("{lane_block(ARGV[1], ARGV[2])}", List.of(text, lane.getKey()));
      assertThat(r).as(lane.getKey()).containsExactly(QueueRules.laneBlock(lane.getValue()));
    }
    assertThat(Replies.lanes(text)).isEqualTo(settings.lanes());
    assertThat(lua("{lane_block(ARGV[1], ARGV[2]) or -99}", List.of(text, "fan"))).containsExactly(-99L);
    assertThat(lua("{lane_block(ARGV[1], ARGV[2]) or -99}", List.of("-", "general"))).containsExactly(-99L);
  }

  @Test
  void theDrawIsAPermutationThatTheSeedAloneDecides() {
    long[] keys = QueueRules.drawKeys("0123456789abcdef0123456789abcdef");
    java.util.BitSet places = new java.util.BitSet();
    for (long seq = 0; seq < (1 << 16); seq++) {
      places.set((int) (QueueRules.drawPlace(keys, seq) >>> 10)); // 2^16 buckets of 2^10 places
    }
    // 65,536 sequence numbers land in most of the 65,536 buckets: spread, not clustered by arrival
    assertThat(places.cardinality()).isGreaterThan(40_000);
    assertThat(QueueRules.drawKeys("0123456789abcdef0123456789abcdef")).containsExactly(keys);
    assertThat(QueueRules.drawKeys("0123456789abcdef0123456789abcdee")).isNotEqualTo(keys);
  }

  @Test
  void outageGapsAndSweepBatchesAreComputedAlike() {
    SplittableRandom random = new SplittableRandom(13);
    List<Long> expected = new ArrayList<>();
    List<String> args = new ArrayList<>();
    StringBuilder lua = new StringBuilder("{");
    for (int i = 0; i < 100; i++) {
      long idle = random.nextBoolean() ? 0 : 2_000 + random.nextLong(86_400_000);
      long grace = random.nextBoolean() ? 0 : 1_000 + random.nextLong(86_400_000);
      long pass = random.nextLong(2_000_000);
      long swept = 1_000_000;
      long now = swept + QueueRules.outageGap(idle, grace) - 1 + random.nextInt(3);
      // restart_after_gap tells by writing hbsince; sweep batches come from the pass size
      expected.add(QueueRules.outageGap(idle, grace) > 0 && now - swept >= QueueRules.outageGap(idle, grace) ? 1L : 0L);
      expected.add(QueueRules.sweepBatch(pass, QueueRules.SWEEP_BATCH_MIN));
      int a = args.size();
      args.addAll(List.of(Long.toString(idle), Long.toString(grace), Long.toString(now), Long.toString(pass)));
      lua.append(String.format("gap(ARGV[%d], ARGV[%d], ARGV[%d]), batch(ARGV[%d]),", a + 1, a + 2, a + 3, a + 4));
    }
    String helpers = "local function gap(idle, grace, now) redis.call('DEL', 'k{x}') "
        + "local ev = {idle = tonumber(idle), grace = grace, swept = 1000000} restart_after_gap(ev, tonumber(now)) "
        + "return redis.call('HEXISTS', 'k{x}', 'hbsince') end "
        + "local function batch(pass) return math.min(SWEEP_BATCH_MAX, math.max(SWEEP_BATCH_MIN, "
        + "math.ceil(tonumber(pass) / SWEEP_PASS_SWEEPS))) end ";
    String source = ScriptLibrary.constants() + commonLua() + "\n" + helpers + "\nreturn " + lua.append("}");
    @SuppressWarnings("unchecked")
    List<Long> reply = (List<Long>) REDIS.client().eval(source.replace("KEYS[1]", "'k{x}'").replace("KEYS[5]", "'r{x}'"),
        List.of("k{x}"), args);

    assertThat(reply).isEqualTo(expected);
  }
}
