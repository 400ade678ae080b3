package io.interestfl.coordinator.round;

import io.interestfl.coordinator.config.CoordinatorConfig;

/** Pace steering's arithmetic (Bonawitz et al. 2019): when a waiting client should come back. */
public final class Pacing {
  private Pacing() {}

  /**
   * The delay before a waiting client's next poll so that {@code registered} clients together poll about
   * {@code pace.target-polls-per-second}: {@code registered / rate} seconds, scaled by {@code 0.5 + u} (a uniform
   * {@code u} in [0, 1): +-50% jitter, so clients that waited together do not come back together), bounded by
   * {@code pace.min-poll-millis} and {@code pace.max-poll-millis}, and never later than half of
   * {@code client-timeout-seconds}: a client that polls less often than that would count as inactive and drop out of
   * the cohorts (raise client-timeout-seconds to steer very large federations further).
   */
  public static int pollAfterMillis(int registered, CoordinatorConfig.Pace pace, double u, int clientTimeoutSeconds) {
    double mean = 1000.0 * registered / pace.targetPollsPerSecond;
    double jittered = mean * (0.5 + u);
    double cap = Math.min(pace.maxPollMillis, clientTimeoutSeconds * 500.0);
    return (int) Math.max(Math.min(pace.minPollMillis, cap), Math.min(cap, jittered));
  }
}
