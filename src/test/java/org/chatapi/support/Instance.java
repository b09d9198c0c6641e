package org.chatapi.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Payara Micro process serving the packaged WAR at the root context against the test database, on a port of its
 * own, with the server options the build gives ({@code chat.server.*} in the pom). The suite's one shared server is
 * such an instance ({@link SharedServer}); a test that is about starting, stopping or configuring a server starts
 * another, as a second instance behind a load balancer would be.
 */
public final class Instance implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);

    /** Instances launched and not yet seen ready: the database is not restarted under one (its start-up would fail). */
    private static final Set<Instance> BOOTING = ConcurrentHashMap.newKeySet();

    private final Process process;
    private final URL base;
    private final Path log;

    private Instance(Process process, URL base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
        BOOTING.add(this);
    }

    /** Starts an instance without waiting for it: its address takes requests at once, while it boots. */
    public static Instance launch() throws IOException {
        return launch(freePort(), Map.of());
    }

    /** A port nothing listens on now, for an instance to come. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts an instance on this port (where an earlier one ran: a restart), with these environment variables set or
     * changed, without waiting for it.
     */
    public static Instance launch(int port, Map<String, String> environment) throws IOException {
        Path war = Path.of(System.getProperty("chat.war", "target/chat-api.war"));
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war + " is missing: run the integration tests with 'mvn verify'");
        }
        Path tmp = Files.createTempDirectory(war.toAbsolutePath().getParent(), "instance-");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options("chat.server.jvmOptions"));
        command.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-jar", System.getProperty("chat.server.jar"),
                "--deploy", war.toString(), "--contextroot", "/", "--port", Integer.toString(port)));
        command.addAll(options("chat.server.options"));
        ProcessBuilder builder = new ProcessBuilder(command);
        // As bin/run: fewer malloc arenas keep the native memory of several instances on two cores small.
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile())
                .start();
        return new Instance(process, URI.create("http://localhost:" + port + "/").toURL(), tmp.resolve("server.log"));
    }

    private static List<String> options(String property) {
        String value = System.getProperty(property, "").trim();
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
    }

    public URL base() {
        return base;
    }

    /** What the instance has written to its console so far: its log. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Waits until the application is deployed and its database answers. */
    public void awaitReady() throws InterruptedException, IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the instance exited; see " + log);
            }
            try {
                // Ready only once the application is deployed and its database answers.
                if (http.send(HttpRequest.newBuilder(base.toURI().resolve("health/ready")).build(),
                        BodyHandlers.discarding()).statusCode() == 200
                        && http.send(HttpRequest.newBuilder(base.toURI().resolve("room")).build(),
                        BodyHandlers.discarding()).statusCode() == 401) {
                    BOOTING.remove(this);
                    return;
                }
            } catch (IOException | java.net.URISyntaxException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("the instance was not ready within " + STARTUP + "; see " + log);
    }

    /** Asks the process to stop (SIGTERM), as a process supervisor would, without waiting for it. */
    public void terminate() {
        BOOTING.remove(this);
        process.destroy();
    }

    /** Whether the process ended within the timeout. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        BOOTING.remove(this);
        process.destroyForcibly().waitFor();
    }

    /** Waits until every instance launched so far is ready: before the database is stopped or restarted. */
    public static void awaitBooting() throws InterruptedException, IOException {
        for (Instance instance : List.copyOf(BOOTING)) {
            if (instance.process.isAlive()) {
                instance.awaitReady();
            } else {
                BOOTING.remove(instance);
            }
        }
    }

    @Override
    public void close() {
        BOOTING.remove(this);
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
