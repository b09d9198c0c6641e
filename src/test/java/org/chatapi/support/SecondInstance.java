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

/**
 * Another Payara Micro process serving the same WAR against the same database, on a port of its own: the second
 * instance behind a load balancer. Started and stopped by the test that needs it.
 */
public final class SecondInstance implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final Process process;
    private final URL base;

    private SecondInstance(Process process, URL base) {
        this.process = process;
        this.base = base;
    }

    public static SecondInstance start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path target = Path.of(System.getProperty("chat.war")).getParent();
        Path tmp = Files.createTempDirectory(target, "second-instance-");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Djakarta.json.provider=org.eclipse.parsson.JsonProviderImpl", "-Djava.io.tmpdir=" + tmp, "-jar", System.getProperty("payara.microJar"),
                "--deploy", System.getProperty("chat.war"), "--contextroot", "/", "--port", Integer.toString(port)));
        command.addAll(Arrays.asList(System.getProperty("payara.extraMicroOptions").trim().split("\\s+")));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile())
                .start();
        SecondInstance instance = new SecondInstance(process, URI.create("http://localhost:" + port + "/").toURL());
        instance.awaitReady(tmp.resolve("server.log"));
        return instance;
    }

    public URL base() {
        return base;
    }

    private void awaitReady(Path log) throws InterruptedException, IOException {
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
