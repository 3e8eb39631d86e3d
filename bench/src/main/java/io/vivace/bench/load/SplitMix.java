package io.vivace.bench.load;

/**
 * SplitMix64 random numbers with every derived operation spelled out here, so a trace generated on one JDK is
 * bit-identical when regenerated on another (the JDK's bounded-random helpers are not specified that tightly).
 */
final class SplitMix {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix(long seed) {
        this.state = seed;
    }

    /** The SplitMix64 finaliser: a bijection on 64-bit values, so distinct inputs give distinct outputs. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN;
        return mix64(state);
    }

    /** Uniform in [0, bound); the modulo bias is irrelevant for synthetic data. */
    int nextInt(int bound) {
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    /** Uniform in [0, bound). */
    long nextLong(long bound) {
        return Long.remainderUnsigned(nextLong(), bound);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    boolean chance(double probability) {
        return nextDouble() < probability;
    }

    <T> T pick(T[] values) {
        return values[nextInt(values.length)];
    }
}
