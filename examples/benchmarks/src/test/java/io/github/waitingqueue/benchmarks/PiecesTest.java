package io.github.waitingqueue.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The benchmark's pure pieces: they decide what the figures say, so they are checked without Redis. */
class PiecesTest {
  @Test
  void commandStatsCountsCallsAndTimeSinceASnapshot() {
    CommandStats before = CommandStats.parse("# Commandstats\r\n"
        + "cmdstat_evalsha:calls=10,usec=200,usec_per_call=20.00,rejected_calls=0,failed_calls=0\r\n"
        + "cmdstat_info:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n");
    CommandStats after = CommandStats.parse("# Commandstats\r\n"
        + "cmdstat_evalsha:calls=15,usec=300,usec_per_call=20.00,rejected_calls=0,failed_calls=0\r\n"
        + "cmdstat_eval:calls=1,usec=50,usec_per_call=50.00,rejected_calls=0,failed_calls=0\r\n"
        + "cmdstat_info:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n"
        + "cmdstat_zrank:calls=5,usec=15,usec_per_call=3.00,rejected_calls=0,failed_calls=0\r\n"
        + "cmdstat_hmget:calls=5,usec=45,usec_per_call=9.00,rejected_calls=0,failed_calls=0\r\n");

    CommandStats delta = after.since(before);

    assertThat(delta.of("evalsha")).isEqualTo(5);
    assertThat(delta.micros("evalsha")).isEqualTo(100);
    assertThat(delta.of("eval")).isEqualTo(1);
    assertThat(delta.of("info")).isZero();
    assertThat(delta.innerCalls()).isEqualTo(10);
    assertThat(delta.innerMicros()).isEqualTo(60);
    assertThat(delta.costliestInner()).isEqualTo("hmget 75%");
    assertThat(delta.onlyScriptCommand("evalsha", 5)).isFalse(); // and one EVAL
    assertThat(delta.scriptCommands()).isEqualTo("fcall=0 evalsha=5 eval=1 function|load=0");
    assertThat(delta.microsPerCall("evalsha")).isEqualTo(20.0);
  }

  @Test
  void userIdsAreDistinctRepeatableVersion4Uuids() {
    assertThat(Users.id(42)).isEqualTo(Users.id(42)).hasSize(36);
    assertThat(UUID.fromString(Users.id(7)).version()).isEqualTo(4);
    assertThat(java.util.stream.LongStream.range(0, 100_000).mapToObj(Users::id).distinct().count())
        .isEqualTo(100_000);
  }

  @Test
  void scriptCallReplacesTheUserAndTheEventOnly() {
    ScriptCall call = new ScriptCall(ScriptCall.FCALL, "wq_join_abc", List.of("wq:{e}:meta", "wq:{e}:queue"),
        List.of("", "u1", "10"));

    ScriptCall moved = call.withArg("u1", "u-__rand_int__").onEvent("e", "f");

    assertThat(moved.command()).isEqualTo("FCALL");
    assertThat(moved.statName()).isEqualTo("fcall");
    assertThat(moved.arguments())
        .containsExactly("wq_join_abc", "2", "wq:{f}:meta", "wq:{f}:queue", "", "u-__rand_int__", "10");
    assertThat(moved.toFunction("probe").arguments()).startsWith("probe", "2", "wq:{f}:meta");
    assertThatThrownBy(() -> call.withArg("nobody", "x")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void resultsAreWrittenAsIndentedJson() {
    Map<String, Object> results = new java.util.LinkedHashMap<>();
    results.put("a", List.of(1, 2.5, "x\"y"));
    results.put("b", true);
    String json = Benchmarks.toJson(results);

    assertThat(json).contains("\"x\\\"y\"").contains("\"b\" : true").endsWith("}\n");
    assertThat(json.lines().count()).isGreaterThan(3);
  }

  @Test
  void wrkLatencyLinesAreReadInMilliseconds() {
    String output = "  Latency Distribution\n     50%  812.00us\n     75%    1.20ms\n     99%    2.50s\n";

    assertThat(HttpService.Wrk.percentile(output, "50%")).isEqualTo(0.812);
    assertThat(HttpService.Wrk.percentile(output, "99%")).isEqualTo(2500.0);
  }

  @Test
  void optionsRebuildTheCommandWithoutOnly() {
    Options o = Options.parse("--clients", "20", "--only", "memory,scale", "--scale-10m");

    assertThat(o.command()).isEqualTo("java -jar examples/benchmarks/target/benchmarks.jar --clients 20 --scale-10m");
    assertThat(o.runs("memory")).isTrue();
    assertThat(o.runs("throughput")).isFalse();
    assertThatThrownBy(() -> Options.parse("--only", "speed")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Options.parse().runs("abandonment")).isFalse(); // it waits out an idle timeout: only when named
    assertThat(Options.parse("--only", "abandonment").runs("abandonment")).isTrue();
  }

  @Test
  void variantRenamesTheLibraryAndItsFunctionsAndMakesEveryCut() {
    String code = "#!lua name=waitingqueue_abc123\nlocal x = sweep_if_due()\n"
        + "redis.register_function('wq_status_abc123', function(keys, args) return 1 end)\n";

    String v = Costs.variant(code, "abc123", "v1", List.of(new Costs.Cut("cut", "sweep_if_due()", "0")));

    assertThat(v).startsWith("#!lua name=wqvariant_v1").contains("'wq_status_v1'").contains("local x = 0")
        .doesNotContain("abc123");
    assertThatThrownBy(() -> Costs.variant(code, "abc123", "v2", List.of(new Costs.Cut("gone", "nowhere", ""))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("gone");
  }
}
