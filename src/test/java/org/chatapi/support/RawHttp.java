package org.chatapi.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 written by hand on a socket, for what a well-behaved client library will not send: a Host header of the
 * caller's choosing, a body that trickles in, bytes after a body, methods with bodies.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends the bytes as they are and returns everything the server answers until it closes or goes quiet. */
    public static String exchange(URL base, String request, Duration quiet) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) quiet.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return readUntilClosedOrQuiet(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the stream delivers until the peer closes it or nothing arrives within the socket's timeout. */
    public static String readUntilClosedOrQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                received.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException e) {
            // quiet: the answer is complete, the connection still open
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    /**
     * One response with a {@code Content-Length} read off a connection that stays open: its status line, headers and
     * body. A socket timeout (no answer) is an {@link IOException}.
     */
    public static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.size() + " bytes of headers");
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        String length = header(headers, "Content-Length");
        byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
        return headers + new String(body, StandardCharsets.UTF_8);
    }

    /** How many HTTP responses the text holds (their status lines). */
    public static long responses(String received) {
        return received.lines().filter(line -> line.startsWith("HTTP/1.")).count();
    }

    /** The value of the first header with this name in the text, or null. */
    public static String header(String received, String name) {
        return received.lines()
                .filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(line -> line.substring(name.length() + 1).trim())
                .findFirst()
                .orElse(null);
    }
}
