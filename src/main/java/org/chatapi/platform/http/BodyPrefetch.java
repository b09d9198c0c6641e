package org.chatapi.platform.http;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.ws.rs.core.Response.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.platform.Limits;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.problems.Problems;

/**
 * Reads an authenticated caller's request body before the application runs, without holding a request thread:
 * the bytes are taken as they arrive (non-blocking servlet I/O) and the request is handed on only once its body is
 * complete. So a client that sends its body slowly holds a connection and the bytes it sent, never one of the few
 * request threads, and the others are served meanwhile. A body that is not complete within the request timeout is
 * answered 408; one over the size limit 413; both close the connection.
 *
 * <p>Requests without a token are not read ahead: they are refused (401) before their body matters. Any request
 * whose body is still unread when it is refused is answered with {@code Connection: close}, so the rest of that body
 * is never read as a second request.
 */
public class BodyPrefetch implements Filter {

    private static final Logger LOG = Logger.getLogger(BodyPrefetch.class.getName());
    private static final int CHUNK = 8192;

    @Inject
    Limits limits;

    @Resource
    ManagedScheduledExecutorService timer;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (!RequestBodies.declared(request)) {
            chain.doFilter(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > limits.maxBodyBytes()) {
            Problems.send(response, Status.REQUEST_ENTITY_TOO_LARGE, "payload-too-large", "Request body too large",
                    "The request body is larger than " + limits.maxBodyBytes() + " bytes.", path(request), true);
            return;
        }
        ServletInputStream input = request.getInputStream();
        if (request.getUserPrincipal() == null || (declared >= 0 && input.available() >= declared)
                || !request.getProtocol().startsWith("HTTP/1.")) {
            // No caller to read ahead for, or the whole body has arrived already: nothing will wait for it. Over
            // HTTP/2 (h2c) the server's non-blocking reads sometimes end a body early (measured: a third of the
            // posts of a Java HttpClient arrived empty); its streams are read the ordinary way.
            chain.doFilter(request, new ClosingOnEarlyRefusal(response));
            return;
        }
        BufferedRequest buffered = new BufferedRequest(request);
        AsyncContext async = request.startAsync(buffered, new SendErrorAsProblem(response, path(request)));
        // The request timeout bounds the arrival of the body only, not the work once it is there: the container's
        // own async timeout would also run through the dispatched request, and end a slow one with an empty answer.
        async.setTimeout(0);
        AtomicBoolean answered = new AtomicBoolean();
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            if (answered.compareAndSet(false, true)) {
                try {
                    Problems.send(response, Status.REQUEST_TIMEOUT, "request-timeout", "Request Timeout",
                            "The request did not arrive completely in time.", path(request), true);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "Answering a request that did not arrive in time failed", e);
                } finally {
                    async.complete();
                }
            }
        }, limits.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
                answered.set(true);
                deadline.cancel(false);
            }

            @Override
            public void onComplete(AsyncEvent event) {
                deadline.cancel(false);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        input.setReadListener(new BodyReader(input, declared, request, response, buffered, async, answered));
    }

    private final class BodyReader implements ReadListener {

        private final ServletInputStream input;
        private final ByteArrayOutputStream body;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final BufferedRequest buffered;
        private final AsyncContext async;
        private final AtomicBoolean answered;
        private final byte[] chunk = new byte[CHUNK];

        BodyReader(ServletInputStream input, long declared, HttpServletRequest request, HttpServletResponse response,
                   BufferedRequest buffered, AsyncContext async, AtomicBoolean answered) {
            this.input = input;
            this.body = new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, CHUNK) : CHUNK);
            this.request = request;
            this.response = response;
            this.buffered = buffered;
            this.async = async;
            this.answered = answered;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (input.isReady() && !input.isFinished()) {
                int read = input.read(chunk);
                if (read < 0) {
                    return;
                }
                body.write(chunk, 0, read);
                if (body.size() > limits.maxBodyBytes() && answered.compareAndSet(false, true)) {
                    Problems.send(response, Status.REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                            "Request body too large", "The request body is larger than " + limits.maxBodyBytes()
                                    + " bytes.", path(request), true);
                    async.complete();
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            if (answered.compareAndSet(false, true)) {
                buffered.setBody(body.toByteArray());
                async.dispatch();
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The client went away or the connection broke: there is nobody left to answer.
            answered.set(true);
            LOG.log(Level.FINE, "Reading a request body failed", failure);
            async.complete();
        }
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /**
     * Answers {@code sendError} with a problem body. The container's error pages, which do so for requests served
     * in the ordinary way, are not applied to a request that continues in an asynchronous dispatch.
     */
    private static final class SendErrorAsProblem extends HttpServletResponseWrapper {

        private final String path;

        SendErrorAsProblem(HttpServletResponse response, String path) {
            super(response);
            this.path = path;
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (isCommitted()) {
                throw new IllegalStateException("the response is committed already");
            }
            resetBuffer();
            Problems.sendStatus((HttpServletResponse) getResponse(), status, path);
            flushBuffer();
        }
    }

    /** Adds {@code Connection: close} to a refusal, because the body of the request may not have been read. */
    private static final class ClosingOnEarlyRefusal extends HttpServletResponseWrapper {

        ClosingOnEarlyRefusal(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int status) {
            if (status >= 400) {
                setHeader("Connection", "close");
            }
            super.setStatus(status);
        }
    }
}
