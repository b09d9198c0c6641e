package org.chatapi.support;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * Stops, starts and restarts the local PostgreSQL cluster the tests run against (as its administrator, root), once
 * every instance that is booting is up: one that met the database gone during its start-up would not start.
 */
public final class Postgres {

    private Postgres() {
    }

    /** Restarts the cluster with a shutdown mode: "fast" (sessions ended cleanly) or "immediate" (like a crash). */
    public static void restart(String mode) {
        cluster("restart", "-m", mode);
    }

    public static void stop() {
        cluster("stop", "-m", "fast");
    }

    public static void start() {
        cluster("start");
    }

    private static void cluster(String... action) {
        try {
            Instance.awaitBooting();
        } catch (IOException e) {
            throw new IllegalStateException("an instance did not come up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String[] versions = new File("/etc/postgresql").list();
        if (versions == null || versions.length == 0) {
            throw new IllegalStateException("no local PostgreSQL cluster under /etc/postgresql");
        }
        String version = Arrays.stream(versions).max(Comparator.comparing(Double::valueOf)).orElseThrow();
        String[] command = new String[4 + action.length];
        command[0] = "pg_ctlcluster";
        command[1] = "--skip-systemctl-redirect";
        command[2] = version;
        command[3] = "main";
        System.arraycopy(action, 0, command, 4, action.length);
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
