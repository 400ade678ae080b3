package io.interestfl.client.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.protocol.v1.Task;
import io.interestfl.protocol.v1.TrainingConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomerPrivacyTest {
  private static final List<CustomerHistory> CUSTOMERS = Collections.nCopies(200, null);

  private static Task round(int localEpochs) {
    return Task.newBuilder().setKind(Task.Kind.TRAIN).setRoundId(1)
        .setConfig(TrainingConfig.newBuilder().setLocalEpochs(localEpochs)).build();
  }

  private static ClientConfig config(Path dir, boolean enabled) {
    ClientConfig config = new ClientConfig().baseDirectory(dir);
    config.name = "spain";
    config.userLevelPrivacy.enabled = enabled;
    return config;
  }

  @Test
  void offUnlessConfigured(@TempDir Path dir) throws Exception {
    try (CustomerPrivacy privacy = new CustomerPrivacy(config(dir, false), new SecureRandom())) {
      privacy.open();
      assertFalse(privacy.enabled());
      assertEquals(0, privacy.epsilon());
      assertNull(privacy.budgetRefusal(round(1_000_000), CUSTOMERS));
    }
  }

  @Test
  void refusesARoundThatWouldExceedTheBudgetAndTurnsOffWhenClosed(@TempDir Path dir) throws Exception {
    CustomerPrivacy privacy = new CustomerPrivacy(config(dir, true), new SecureRandom());
    privacy.open();
    assertTrue(privacy.enabled());
    assertEquals(0, privacy.epsilon());
    assertNull(privacy.budgetRefusal(round(1), CUSTOMERS));
    String refusal = privacy.budgetRefusal(round(100_000), CUSTOMERS);
    assertTrue(refusal != null && refusal.startsWith("customer-level privacy budget spent"), refusal);
    privacy.close();
    assertFalse(privacy.enabled());
    assertNull(privacy.budgetRefusal(round(100_000), CUSTOMERS));
  }
}
