package io.interestfl.serving.policy;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One customer's posterior on the model version it was built for, the observations to rebuild it from on a newer
 * model ({@link ObservationMemory}, when {@code memory > 0}) and the change detector on its exploit clicks (when on).
 * Guarded by itself.
 */
final class CustomerState {
    /** The posterior read for one slate: its precision's Cholesky factor and its mean. */
    record Reading(double[] chol, double[] mean) {
    }

    private final PolicyConfig config;
    private final AtomicLong alarms;
    private final ObservationMemory memory;    // null: memory 0
    private final ChangeDetection.PageHinkley detector;   // null: change detection off
    private BitSet lastExploit = new BitSet();   // exploit items of the last slate
    private double[] lastMean;                 // posterior mean of theta when the last slate was built
    private LinearPosterior posterior;
    private int version = -1;          // built by the first current()
    private int alarmVersion = Integer.MIN_VALUE;   // model version of the last alarm

    /** {@code alarms} counts the change alarms of all customers. */
    CustomerState(PolicyConfig config, AtomicLong alarms) {
        this.config = config;
        this.alarms = alarms;
        this.memory = config.memory() > 0 ? new ObservationMemory(config.memory()) : null;
        ChangeDetection cd = config.changeDetection();
        this.detector = cd.enabled() ? new ChangeDetection.PageHinkley(cd.delta(), cd.threshold()) : null;
    }

    /** Prior precision on model {@code version}: weaker for a while after an alarm. */
    private double lambda(int version) {
        ChangeDetection cd = config.changeDetection();
        boolean weak = alarmVersion != Integer.MIN_VALUE && version - alarmVersion <= cd.holdModels();
        return weak ? config.lambda() * cd.priorFactor() : config.lambda();
    }

    /** A detected change: forget the posterior and the memory, weaken the prior, restart the test. */
    private void restart(ItemSpace it, int version) {
        alarmVersion = version;
        posterior = new LinearPosterior(it.dimension(), lambda(version), config.gamma());
        this.version = version;
        if (memory != null) {
            memory.clear();
        }
        detector.restart();
        alarms.incrementAndGet();
    }

    /** The posterior on model {@code version}, replaying the kept observations on its items if it is newer. */
    synchronized LinearPosterior current(ItemSpace it, int version) {
        if (this.version != version) {
            posterior = new LinearPosterior(it.dimension(), lambda(version), config.gamma());
            if (memory != null) {
                for (int j = 0; j < memory.size(); j++) {
                    int item = memory.item(j);
                    if (item >= it.firstItem() && item < it.size()) {   // items dropped by the new model are skipped
                        posterior.observe(it.vector(item), memory.reward(j) - it.bias(item));
                    }
                }
            }
            this.version = version;
        }
        return posterior;
    }

    /**
     * The posterior for a slate on model {@code version} with prior mean {@code x}, after restarting on a pending
     * change alarm; its mean is kept to predict the feedback on the slate.
     */
    synchronized Reading read(ItemSpace it, int version, float[] x) {
        if (detector != null && detector.alarm()) {
            restart(it, version);
        }
        LinearPosterior p = current(it, version);
        double[] chol = p.precisionCholesky();
        double[] mean = p.mean(x, chol);
        lastMean = mean;
        return new Reading(chol, mean);
    }

    /** Whether the exploit slots of each slate are tracked (change detection on). */
    boolean tracksExploit() {
        return detector != null;
    }

    /** Keeps the exploit items of the slate just built, whose clicks feed the change detector. */
    void servedExploit(Slate slate) {
        BitSet exploit = new BitSet();
        for (Slot s : slate.slots()) {
            if (s.kind() == SlotKind.EXPLOIT) {
                exploit.set(s.item());
            }
        }
        synchronized (this) {
            lastExploit = exploit;
        }
    }

    /** The score {@code mu . v_i + b_i} of the last slate's posterior mean, NaN before a slate on this dimension. */
    synchronized double prediction(ItemSpace it, int item) {
        return lastMean != null && lastMean.length == it.vector(item).length ? it.linearScore(lastMean, item) : Double.NaN;
    }

    /**
     * Learns from one feedback on model {@code version}: a new observation of the item's vector with the reward less
     * the item's bias, {@code offset} and {@code categoryEffect}, or a reward added to the last one; kept in the
     * memory, and on an exploit item fed to the change detector.
     */
    synchronized void observe(ItemSpace it, int version, Feedback f, double offset, double categoryEffect) {
        float[] v = it.vector(f.item());
        LinearPosterior p = current(it, version);
        if (f.newObservation()) {
            p.observe(v, f.reward() - it.bias(f.item()) - offset - categoryEffect);
            if (memory != null) {
                memory.add(f.item(), f.reward());
            }
            if (detector != null && lastExploit.get(f.item())) {
                detector.add(f.reward());
            }
        } else {
            p.addReward(v, f.reward());
            if (memory != null) {
                memory.addReward(f.item(), f.reward());
            }
            if (detector != null && lastExploit.get(f.item())) {
                detector.addReward(f.reward());
            }
        }
    }
}
