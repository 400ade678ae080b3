package io.interestfl.secagg.masking;

import io.interestfl.secagg.crypto.Secret;

/**
 * One PRG expansion to add to (or subtract from) a vector.
 *
 * @param seed the 32-byte mask seed
 * @param subtract true to subtract the expansion, false to add it
 */
public record MaskTerm(Secret seed, boolean subtract) {}
