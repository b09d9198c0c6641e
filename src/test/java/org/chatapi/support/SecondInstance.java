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

/**
 * Another Payara Micro process serving the same WAR against the same database, on a port of its own: the second
 * instance behind a load balancer. Started and stopped by the test that needs it.
 */
public final class SecondInstance implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final Process process;
    private final URL base;
    private final Path log;

    private SecondInstance(Process process, URL base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /** Starts an instance and waits until it is ready. */
    public static SecondInstance start() throws IOException, InterruptedException {
        SecondInstance instance = launch();
        instance.awaitReady();
        return instance;
    }

    /** Starts an instance without waiting for it: its address takes requests at once, while it boots. */
    public static SecondInstance launch() throws IOException {
        return launch(freePort());
    }

    /** A port nothing listens on now, for an instance to come. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts an instance on this port (where an earlier one ran: a restart) without waiting for it. */
    public static SecondInstance launch(int port) throws IOException {
        return launch(port, Map.of());
    }

    /** Starts an instance on this port, with these environment variables set or changed, without waiting for it. */
    public static SecondInstance launch(int port, Map<String, String> environment) throws IOException {
        Path target = Path.of(System.getProperty("chat.war")).getParent();
        Path tmp = Files.createTempDirectory(target, "second-instance-");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Djakarta.json.provider=org.eclipse.parsson.JsonProviderImpl", "-Djava.io.tmpdir=" + tmp, "-jar", System.getProperty("payara.microJar"),
                "--deploy", System.getProperty("chat.war"), "--contextroot", "/", "--port", Integer.toString(port)));
        command.addAll(Arrays.asList(System.getProperty("payara.extraMicroOptions").trim().split("\\s+")));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile())
                .start();
        return new SecondInstance(process, URI.create("http://localhost:" + port + "/").toURL(), tmp.resolve("server.log"));
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
                throw new IllegalStateException("the second instance exited; see " + log);
            }
            try {
                // Ready only once the application is deployed and its database answers.
                if (http.send(HttpRequest.newBuilder(base.toURI().resolve("health/ready")).build(),
                        BodyHandlers.discarding()).statusCode() == 200
                        && http.send(HttpRequest.newBuilder(base.toURI().resolve("room")).build(),
                        BodyHandlers.discarding()).statusCode() == 401) {
                    return;
                }
            } catch (IOException | java.net.URISyntaxException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("the second instance was not ready within " + STARTUP + "; see " + log);
    }

    /** Asks the process to stop (SIGTERM), as a process supervisor would, without waiting for it. */
    public void terminate() {
        process.destroy();
    }

    /** Whether the process ended within the timeout. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
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
