package org.chatapi.support;

import java.io.File;
import java.util.Arrays;
import java.util.Objects;

/** The schema migrations of the build (db/migration). */
public final class Migrations {

    private Migrations() {
    }

    /** The highest version among them (V3__... is 3). */
    public static int latest() {
        File[] files = Objects.requireNonNull(new File("db/migration").listFiles(), "db/migration is missing");
        return Arrays.stream(files).map(File::getName).filter(name -> name.matches("V\\d+__.*\\.sql"))
                .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).max().orElseThrow();
    }
}
