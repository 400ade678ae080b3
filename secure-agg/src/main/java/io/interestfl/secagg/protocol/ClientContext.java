package io.interestfl.secagg.protocol;

import io.interestfl.secagg.crypto.Signer;
import java.security.SecureRandom;

/**
 * What a client brings to every phase of every round.
 *
 * @param id its positive client id (also its Shamir evaluation point)
 * @param identity its long-term Ed25519 identity key
 * @param registry the identity keys of every potential peer
 * @param random source of all key material and nonces
 */
record ClientContext(int id, Signer identity, IdentityRegistry registry, SecureRandom random) {}
