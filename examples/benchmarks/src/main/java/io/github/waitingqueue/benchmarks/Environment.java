package io.github.waitingqueue.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import redis.clients.jedis.Jedis;

/** Where the figures come from: Redis, Jedis, the JVM, the CPU, and how the processes were placed. */
record Environment(String redisVersion, String jedisVersion, String jvm, int cores, String cpu, String placement) {
  static Environment detect(LocalRedis redis, Cpus cpus) {
    String redisVersion = LocalRedis.parseInfo(infoServer(redis)).getOrDefault("redis_version", "?");
    String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    return new Environment(redisVersion, findJedisVersion(), jvm, cpus.cores(), cpuModel(), cpus.describe());
  }

  String line() {
    return "Redis " + redisVersion + ", Jedis " + jedisVersion + ", " + jvm + ", " + cores + " cores (" + cpu + "), "
        + placement;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("redis", redisVersion);
    m.put("jedis", jedisVersion);
    m.put("jvm", jvm);
    m.put("cores", cores);
    m.put("cpu", cpu);
    m.put("placement", placement);
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return m;
  }

  private static String infoServer(LocalRedis redis) {
    try (Jedis jedis = redis.admin()) {
      return jedis.info("server");
    }
  }

  private static String findJedisVersion() {
    try (InputStream in = Jedis.class.getResourceAsStream("/META-INF/maven/redis.clients/jedis/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "?");
      }
    } catch (IOException ignored) {
      // fall through to the manifest
    }
    String v = Jedis.class.getPackage().getImplementationVersion();
    return v == null ? "?" : v;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
