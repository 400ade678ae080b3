package io.interestfl.serving.policy;

/** Why an item is in a slate: the policy's best estimate ({@code EXPLOIT}) or a probe ({@code EXPLORE}). */
public enum SlotKind {
    EXPLOIT, EXPLORE;

    /** Lower-case name used on the wire ({@code "exploit"}, {@code "explore"}). */
    public String wireName() {
        return this == EXPLOIT ? "exploit" : "explore";
    }
}
