package io.github.waitingqueue.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The open loop's HTTP side: one keep-alive HTTP/1.1 connection per worker, a blocking socket with
 * {@code TCP_NODELAY}, a {@code GET} written in one segment and its answer read in the caller's thread.
 * That is what the direct side does with its Redis connection (a worker, a pooled blocking socket, the
 * reply read in the caller's thread) and what wrk does in C, so the two sides differ by the service alone.
 * ({@code java.net.http}'s client hands each exchange between the caller, its selector thread and its
 * executor: on a 2-core machine those hand-offs cost more than the service; see BENCHMARKS.md section 6.)
 * Not thread-safe: one instance per worker.
 */
final class KeepAliveClient implements AutoCloseable {
  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final StringBuilder line = new StringBuilder(128);

  KeepAliveClient(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** One answer: its status code and body. */
  record Answer(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends {@code GET pathAndQuery} on the connection (opening it first when there is none) and reads the
   * whole answer; a connection the server closed is reopened once.
   *
   * @throws IOException when the server cannot be reached or answers what is not HTTP/1.1
   */
  Answer get(String pathAndQuery) throws IOException {
    byte[] request = ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    boolean fresh = socket == null;
    if (fresh) {
      open();
    }
    try {
      out.write(request);
      return read();
    } catch (IOException e) {
      close();
      if (fresh) {
        throw e;
      }
      open();
      out.write(request);
      return read();
    }
  }

  private void open() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(30_000);
    s.connect(new InetSocketAddress(host, port), 5_000);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 8192);
    out = s.getOutputStream();
  }

  private Answer read() throws IOException {
    String statusLine = readLine();
    if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
      throw new IOException("not an HTTP/1.1 status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closes = false;
    for (String header = readLine(); !header.isEmpty(); header = readLine()) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closes = value.equalsIgnoreCase("close");
        default -> { }
      }
    }
    byte[] body;
    if (chunked) {
      body = readChunks();
    } else if (length >= 0) {
      body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new IOException("connection closed in the body");
      }
    } else {
      throw new IOException("an answer with neither Content-Length nor chunks cannot be kept alive");
    }
    if (closes) {
      close();
    }
    return new Answer(status, body);
  }

  private byte[] readChunks() throws IOException {
    List<byte[]> chunks = new ArrayList<>();
    int total = 0;
    while (true) {
      String size = readLine();
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) {
        while (!readLine().isEmpty()) {
          // trailers
        }
        break;
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk.length != n) {
        throw new IOException("connection closed in a chunk");
      }
      chunks.add(chunk);
      total += n;
      readLine();
    }
    byte[] body = new byte[total];
    int at = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, body, at, c.length);
      at += c.length;
    }
    return body;
  }

  /** A header line without its CRLF (ISO-8859-1, as HTTP/1.1 headers are). */
  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed by the server");
      }
      if (b == '\n') {
        int last = line.length() - 1;
        if (last >= 0 && line.charAt(last) == '\r') {
          line.setLength(last);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }
}
