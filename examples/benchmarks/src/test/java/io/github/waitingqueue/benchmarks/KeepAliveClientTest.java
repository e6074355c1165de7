package io.github.waitingqueue.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The open loop's HTTP client: answers read whole, on one connection, whatever their framing. */
class KeepAliveClientTest {
  @Test
  void readsLengthAndChunkedAnswersOnOneKeepAliveConnection() throws Exception {
    List<String> answers = List.of(
        "HTTP/1.1 200 \r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"bc\"}\n",
        "HTTP/1.1 404 \r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"e\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n",
        "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok");
    List<String> requestLines = new CopyOnWriteArrayList<>();
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serving = new Thread(() -> serve(server, answers, requestLines, accepted));
      serving.setDaemon(true);
      serving.start();
      try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", server.getLocalPort())) {
        KeepAliveClient.Answer first = client.get("/api/v1/queue/status?token=t1");
        KeepAliveClient.Answer second = client.get("/x");
        KeepAliveClient.Answer third = client.get("/y");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.text()).isEqualTo("{\"a\":\"bc\"}\n");
        assertThat(second.status()).isEqualTo(404);
        assertThat(second.text()).isEqualTo("{\"e\":1}");
        assertThat(third.text()).isEqualTo("ok");
      }
      serving.join(5_000);
    }
    assertThat(accepted).hasValue(1);
    assertThat(requestLines).containsExactly("GET /api/v1/queue/status?token=t1 HTTP/1.1", "GET /x HTTP/1.1",
        "GET /y HTTP/1.1");
  }

  private static void serve(ServerSocket server, List<String> answers, List<String> requestLines,
      AtomicInteger accepted) {
    try (Socket s = server.accept()) {
      accepted.incrementAndGet();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      for (String answer : answers) {
        requestLines.add(in.readLine());
        for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
          // the Host header
        }
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
