package io.interestfl.aggregation;

/** How much a client's vector counts in a weighted mean, given the example count it reported. */
public enum Weighting {
  /** Standard FedAvg: proportional to the examples. */
  EXAMPLES,
  /** The square root of the examples: small clients count more. */
  SQRT,
  /** Every client once. */
  UNIFORM;

  /** The weight of a client that reported {@code examples}. */
  public double of(long examples) {
    return switch (this) {
      case EXAMPLES -> examples;
      case SQRT -> Math.sqrt(examples);
      case UNIFORM -> 1;
    };
  }

  /** {@code examples}, {@code sqrt} or {@code uniform}. */
  public static Weighting parse(String name) {
    return switch (name) {
      case "examples" -> EXAMPLES;
      case "sqrt" -> SQRT;
      case "uniform" -> UNIFORM;
      default -> throw new IllegalArgumentException("weighting must be examples, sqrt or uniform, got " + name);
    };
  }
}
