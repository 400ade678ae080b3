package io.interestfl.coordinator.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client nodes known to the coordinator. A client is active while it keeps polling for tasks;
 * only active clients are sampled into a cohort. Confined to the coordinator's event loop.
 */
public final class ClientRegistry {
  /** One registered client node. */
  public static final class Client {
    private final String id;
    private final String region;
    private final long numExamples;
    private final long numCustomers;
    private final long registeredAtMillis;
    private final byte[] identityKey;
    /** The certificate (DER) the node registered over and its signature over the identity key; empty without TLS. */
    private byte[] certificate = new byte[0];
    private byte[] identityKeySignature = new byte[0];
    private long lastSeenMillis;
    /** Why the client stopped training (it said so), or null while it trains. */
    private String withdrawnBecause;

    Client(String id, String region, long numExamples, long numCustomers, byte[] identityKey, long now) {
      this.id = id;
      this.numCustomers = numCustomers;
      this.identityKey = identityKey;
      this.region = region;
      this.numExamples = numExamples;
      this.registeredAtMillis = now;
      this.lastSeenMillis = now;
    }

    public String id() {
      return id;
    }

    public String region() {
      return region;
    }

    public long numExamples() {
      return numExamples;
    }

    /** Customers with training data, as the node declared them (customer-level DP's population). */
    public long numCustomers() {
      return numCustomers;
    }

    public byte[] certificate() {
      return certificate.clone();
    }

    public byte[] identityKeySignature() {
      return identityKeySignature.clone();
    }

    /** Ed25519 public key for secure aggregation (empty when not given). */
    public byte[] identityKey() {
      return identityKey.clone();
    }

    public long registeredAtMillis() {
      return registeredAtMillis;
    }

    public long lastSeenMillis() {
      return lastSeenMillis;
    }

    /** The reason the client gave for withdrawing from training, or null when it has not. */
    public String withdrawnBecause() {
      return withdrawnBecause;
    }
  }

  private final Map<String, Client> clients = new LinkedHashMap<>();
  private final long activeWindowMillis;

  public ClientRegistry(long activeWindowMillis) {
    this.activeWindowMillis = activeWindowMillis;
  }

  /** Registers (or re-registers, replacing the old entry) a client node under its name. */
  public Client register(String name, String region, long numExamples, byte[] identityKey, long now) {
    return register(name, region, numExamples, 0, identityKey, now);
  }

  /** {@link #register} with the node's declared customer count. */
  public Client register(String name, String region, long numExamples, long numCustomers, byte[] identityKey,
      long now) {
    return register(name, region, numExamples, numCustomers, identityKey, null, null, now);
  }

  /** {@link #register} with the node's certificate (DER) and its signature over the identity key (mutual TLS). */
  public Client register(String name, String region, long numExamples, long numCustomers, byte[] identityKey,
      byte[] certificate, byte[] signature, long now) {
    Client client = new Client(name, region, numExamples, numCustomers, identityKey, now);
    client.certificate = certificate == null ? new byte[0] : certificate.clone();
    client.identityKeySignature = signature == null ? new byte[0] : signature.clone();
    clients.put(name, client);
    return client;
  }

  public Optional<Client> find(String id) {
    return Optional.ofNullable(clients.get(id));
  }

  public void touch(String id, long now) {
    Client client = clients.get(id);
    if (client != null) {
      client.lastSeenMillis = now;
    }
  }

  /**
   * Marks a client as no longer training; it stays registered (it still polls and receives the final
   * model) but is never sampled again. Registering again under the same name clears this.
   */
  public void withdraw(String id, String reason) {
    Client client = clients.get(id);
    if (client != null) {
      client.withdrawnBecause = reason == null || reason.isBlank() ? "no reason given" : reason;
    }
  }

  /** Clients that have not withdrawn, active or not: those that may still train. */
  public int trainable() {
    return (int) clients.values().stream().filter(c -> c.withdrawnBecause == null).count();
  }

  /**
   * Once clients have withdrawn, why those left could never satisfy min-clients or min-updates, so
   * that the federation stops instead of waiting for clients that will not train; null while it can go on.
   */
  public String tooFewTrainable(int minClients, int minUpdates) {
    int trainable = trainable();
    int withdrawn = clients.size() - trainable;
    int needed = Math.max(minClients, minUpdates);
    if (withdrawn == 0 || trainable >= needed) {
      return null;
    }
    List<String> reasons = new ArrayList<>();
    clients.values().stream().filter(c -> c.withdrawnBecause != null)
        .forEach(c -> reasons.add(c.id + ": " + c.withdrawnBecause));
    return String.format("only %d client(s) can still train, %d needed (min-clients %d, min-updates %d); withdrawn: %s",
        trainable, needed, minClients, minUpdates, String.join("; ", reasons));
  }

  /** Active and not withdrawn: only these are sampled into a cohort. */
  public boolean isActive(Client client, long now) {
    return client.withdrawnBecause == null && now - client.lastSeenMillis <= activeWindowMillis;
  }

  public List<Client> active(long now) {
    List<Client> active = new ArrayList<>();
    for (Client client : clients.values()) {
      if (isActive(client, now)) {
        active.add(client);
      }
    }
    return active;
  }

  /** The customers all registered nodes declared (withdrawn ones included: their customers were sampled). */
  public long customers() {
    return clients.values().stream().mapToLong(Client::numCustomers).sum();
  }

  public Collection<Client> all() {
    return clients.values();
  }
}
