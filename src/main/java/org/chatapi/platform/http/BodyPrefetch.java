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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>A body that arrives within {@link #BODY_WAIT_MILLIS} of its headers (as browsers send it: the headers in one
 * packet, the body in the next) goes on on the request thread, which waits that long for it; one completed later is
 * dispatched to the container (see {@link Handoff} for when). So a slow body holds a request thread no longer than
 * a quick request does.
 *
 * <p>Requests without a token are not read ahead: they are refused (401) before their body matters. Any request
 * whose body is still unread when it is refused is answered with {@code Connection: close}, so the rest of that body
 * is never read as a second request.
 */
public class BodyPrefetch implements Filter {

    private static final Logger LOG = Logger.getLogger(BodyPrefetch.class.getName());
    private static final int CHUNK = 8192;
    /** How long after the request thread has left the filter the container may be handed the request. */
    private static final long SETTLE_MILLIS = 50;
    /** How long the request thread waits for a body that did not come with the headers, before it leaves. */
    private static final long BODY_WAIT_MILLIS = 20;

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
        // The connection of a request read ahead is not used again: after one, the server sometimes never read the
        // body of the next request on it (measured: one such pair in about a hundred, answered 408).
        response.setHeader("Connection", "close");
        HttpServletResponse answering = new SendErrorAsProblem(response, path(request));
        AsyncContext async = request.startAsync(buffered, answering);
        // The request timeout bounds the arrival of the body only, not the work once it is there: the container's
        // own async timeout would also run through the dispatched request, and end a slow one with an empty answer.
        async.setTimeout(0);
        Handoff handoff = new Handoff(async, buffered);
        ScheduledFuture<?> deadline = timer.schedule(() -> handoff.finish(() -> {
            try {
                Problems.send(response, Status.REQUEST_TIMEOUT, "request-timeout", "Request Timeout",
                        "The request did not arrive completely in time.", path(request), true);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Answering a request that did not arrive in time failed", e);
            } finally {
                async.complete();
            }
        }), limits.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
                handoff.abandon();
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
        input.setReadListener(new BodyReader(input, declared, request, response, async, handoff));
        handoff.awaitDecision(BODY_WAIT_MILLIS);
        Runnable decided = handoff.requestThreadLeaves();
        if (decided == null) {
            return;
        }
        if (handoff.body == null) {
            decided.run();  // refused (too large, or too late) before this thread left
            return;
        }
        // The body was complete before this thread left: the request goes on here, as one whose body came with it.
        buffered.setBody(handoff.body);
        try {
            chain.doFilter(buffered, answering);
        } finally {
            async.complete();
        }
    }

    /**
     * Who goes on with a request once its body is read, or its answer is decided: the request thread, if it has not
     * left the filter yet, or else the container, but only {@link #SETTLE_MILLIS} after the request thread left.
     * The server loses an asynchronous dispatch or completion that overtakes the request thread's own way out of
     * the container: the request then hangs without an answer (seen about once in three runs of the test suite, on
     * a server just started). So nothing is handed over while that thread may still be on its way out.
     */
    private final class Handoff {

        private static final int READING = 0;
        private static final int LEFT = 1;
        private static final int DECIDED = 2;

        private final AsyncContext async;
        private final AtomicInteger state = new AtomicInteger(READING);
        private final BufferedRequest buffered;
        private final AtomicBoolean answered = new AtomicBoolean();
        private final CountDownLatch decided = new CountDownLatch(1);
        private volatile Runnable decision;
        private volatile long leftAt;
        /** The whole body, once read. */
        volatile byte[] body;

        Handoff(AsyncContext async, BufferedRequest buffered) {
            this.async = async;
            this.buffered = buffered;
        }

        /** The first decision wins (the body complete, too large, or too late); later ones are ignored. */
        void finish(Runnable then) {
            finish(then, null);
        }

        private void finish(Runnable then, byte[] read) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            body = read;
            decision = then;
            decided.countDown();
            if (state.compareAndSet(READING, DECIDED)) {
                return;  // the request thread runs it as it leaves
            }
            long settled = leftAt + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS) - System.nanoTime();
            if (settled <= 0) {
                then.run();
            } else {
                timer.schedule(then, settled, TimeUnit.NANOSECONDS);
            }
        }

        /** The client went away: nothing to answer. */
        void abandon() {
            answered.set(true);
            decided.countDown();
        }

        /** Waits up to {@code millis} for the body to be read (or the request refused) while the thread is here. */
        void awaitDecision(long millis) {
            try {
                decided.await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The request thread leaves the filter; answers what it must run first, if the decision came meanwhile. */
        Runnable requestThreadLeaves() {
            leftAt = System.nanoTime();
            return state.compareAndSet(READING, LEFT) ? null : decision;
        }

        /** The body is complete: the request goes on, on the request thread if it is still here, else dispatched. */
        void bodyRead(byte[] read) {
            finish(() -> {
                buffered.setBody(read);
                async.dispatch();
            }, read);
        }
    }

    private final class BodyReader implements ReadListener {

        private final ServletInputStream input;
        private final ByteArrayOutputStream body;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AsyncContext async;
        private final Handoff handoff;
        private final long declared;
        private final byte[] chunk = new byte[CHUNK];
        private boolean allRead;

        BodyReader(ServletInputStream input, long declared, HttpServletRequest request, HttpServletResponse response,
                   AsyncContext async, Handoff handoff) {
            this.input = input;
            this.declared = declared;
            this.body = new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, CHUNK) : CHUNK);
            this.request = request;
            this.response = response;
            this.async = async;
            this.handoff = handoff;
        }

        /**
         * The body is complete once its declared length has been read (the server's word that all of it was read
         * has come with less); without a declared length, on the server's word.
         */
        private void doneIfComplete() {
            if (declared >= 0 ? body.size() >= declared : allRead) {
                handoff.bodyRead(body.toByteArray());
            }
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (input.isReady() && !input.isFinished()) {
                int read = input.read(chunk);
                if (read < 0) {
                    return;
                }
                body.write(chunk, 0, read);
                if (body.size() > limits.maxBodyBytes()) {
                    handoff.finish(() -> {
                        try {
                            Problems.send(response, Status.REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                                    "Request body too large", "The request body is larger than "
                                            + limits.maxBodyBytes() + " bytes.", path(request), true);
                        } catch (IOException | RuntimeException e) {
                            LOG.log(Level.WARNING, "Refusing a request body that is too large failed", e);
                        } finally {
                            async.complete();
                        }
                    });
                    return;
                }
            }
            doneIfComplete();
        }

        @Override
        public void onAllDataRead() {
            allRead = true;
            doneIfComplete();
        }

        @Override
        public void onError(Throwable failure) {
            // The client went away or the connection broke: there is nobody left to answer.
            handoff.abandon();
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
