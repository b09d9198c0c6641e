package org.chatapi.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the servers were doing when a request got no answer: a thread dump of every Payara Micro process on this
 * machine, written to {@code target/stalls/<request id>.txt}, so that a request that hangs once in many runs can be
 * explained afterwards.
 */
final class Stalls {

    private Stalls() {
    }

    /** Records the servers' threads; answers where they were written, or why they could not be. */
    static String record(String requestId) {
        try {
            Path dir = Path.of("target", "stalls");
            Files.createDirectories(dir);
            Path file = dir.resolve(requestId + ".txt");
            StringBuilder dump = new StringBuilder();
            for (String line : run(List.of("jcmd", "-l")).lines().toList()) {
                if (line.contains("payara-micro")) {
                    String pid = line.substring(0, line.indexOf(' '));
                    dump.append("=== ").append(line).append('\n').append(run(List.of("jcmd", pid, "Thread.print")));
                }
            }
            Files.writeString(file, dump, StandardCharsets.UTF_8);
            return "server threads in " + file.toAbsolutePath();
        } catch (IOException | RuntimeException e) {
            return "server threads not recorded: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "server threads not recorded: interrupted";
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
