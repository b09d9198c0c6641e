package org.chatapi.support;

import java.util.List;

/** One reading of /metrics (Prometheus text), to compare before and after something happened. */
public final class Scrape {

    private final List<String> lines;

    private Scrape(List<String> lines) {
        this.lines = lines;
    }

    public static Scrape of(Api anonymous) {
        Api.Reply reply = anonymous.header("Accept", "text/plain").get("/metrics");
        if (reply.status() != 200) {
            throw new AssertionError("/metrics answered " + reply.status());
        }
        return new Scrape(reply.body().lines().filter(line -> !line.startsWith("#")).toList());
    }

    /** The sum of the samples of this metric whose labels include every fragment given (e.g. {@code status="400"}). */
    public double value(String name, String... labelFragments) {
        return lines.stream()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> List.of(labelFragments).stream().allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
