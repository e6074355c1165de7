package io.github.waitingqueue.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesNestedObjectsArraysAndLiterals() {
    Object value = Json.parse(" {\"a\": [1, -2.5e1, true, false, null], \"b\": {\"c\": \"d\"}} ");
    assertThat(value).isEqualTo(Map.of(
        "a", Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e1"), true, false, null),
        "b", Map.of("c", "d")));
  }

  @Test
  void decodesStringEscapes() {
    assertThat(Json.parse("\"q\\\" b\\\\ s\\/ n\\n t\\t u\\u00e9\"")).isEqualTo("q\" b\\ s/ n\n t\t u\u00e9");
  }

  @Test
  void keepsMemberOrder() {
    assertThat(Json.parseObject("{\"z\":1,\"a\":2,\"m\":3}").keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void refusesTrailingText() {
    assertThatThrownBy(() -> Json.parse("{} x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 3");
  }

  @Test
  void refusesUnterminatedString() {
    assertThatThrownBy(() -> Json.parse("\"abc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesDuplicateMembers() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate");
  }

  @Test
  void refusesNumbersWithoutDigits() {
    assertThatThrownBy(() -> Json.parse("-")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("1.")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNestingBeyondTheLimit() {
    assertThatThrownBy(() -> Json.parse("[".repeat(100) + "]".repeat(100))).hasMessageContaining("nested");
  }

  @Test
  void refusesNonObjectWhereAnObjectIsExpected() {
    assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("object");
  }

  @Test
  void writesObjectsInOrderWithNumbersAndLiterals() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("s", "x");
    map.put("i", 3L);
    map.put("d", 2.5);
    map.put("whole", 5.0);
    map.put("b", true);
    map.put("n", null);
    map.put("l", List.of(1, 2));
    assertThat(Json.write(map)).isEqualTo("{\"s\":\"x\",\"i\":3,\"d\":2.5,\"whole\":5,\"b\":true,\"n\":null,\"l\":[1,2]}");
  }

  @Test
  void escapesQuotesControlCharactersAndAngleBrackets() {
    assertThat(Json.write("a\"b\\c\n\u0001</script>")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\\u003c/script>\"");
  }

  @Test
  void writtenTextParsesBackToTheSameValue() {
    Map<String, Object> map = Map.of("k", "v \u2028 \"", "list", List.of("a", Map.of()));
    assertThat(Json.parse(Json.write(map))).isEqualTo(map);
  }

  @Test
  void refusesToWriteNonFiniteNumbers() {
    assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
