package org.chatapi.platform.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body was read beforehand: its stream serves those bytes. It keeps the request target as the client
 * sent it: in the asynchronous dispatch that continues the request, the container would give the percent-decoded
 * path, in which an escaped {@code ?} or {@code /} would become part of the URI's structure.
 */
final class BufferedRequest extends HttpServletRequestWrapper {

    private final String requestUri;
    private final String requestUrl;
    private final String queryString;
    private volatile byte[] body;

    BufferedRequest(HttpServletRequest request) {
        super(request);
        this.requestUri = request.getRequestURI();
        this.requestUrl = request.getRequestURL().toString();
        this.queryString = request.getQueryString();
    }

    @Override
    public String getRequestURI() {
        return requestUri;
    }

    @Override
    public StringBuffer getRequestURL() {
        return new StringBuffer(requestUrl);
    }

    @Override
    public String getQueryString() {
        return queryString;
    }

    void setBody(byte[] body) {
        this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return bytes.read(buffer, offset, length);
            }

            @Override
            public int available() {
                return bytes.available();
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new IllegalStateException("the body was read already");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
}
