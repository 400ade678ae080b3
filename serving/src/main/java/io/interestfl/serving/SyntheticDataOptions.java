package io.interestfl.serving;

import picocli.CommandLine.Option;

/**
 * Size and seed of generated data as command-line options (a picocli mixin), shared by {@code bench serving} and the
 * simulator commands; each command gives its own default catalogue size.
 */
public final class SyntheticDataOptions {
    @Option(names = "--items", description = "Catalogue size (default: ${DEFAULT-VALUE}).")
    int items;
    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    /** {@code --items} defaults to {@code items}. */
    public SyntheticDataOptions(int items) {
        this.items = items;
    }

    public int items() {
        return items;
    }

    public long seed() {
        return seed;
    }
}
