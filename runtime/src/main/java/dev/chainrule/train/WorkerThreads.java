package dev.chainrule.train;

import dev.chainrule.TrainingStep;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads of a multi-threaded {@link BatchRunner}: worker 0 is the trainer's own thread,
 * workers {@code 1 .. n-1} are daemon threads that wait for a phase, run their share of it
 * ({@link #work(int)}) and report back. Waiting spins briefly and then parks (or yields), because
 * a step of a small network is shorter than waking a parked thread.
 */
abstract class WorkerThreads extends BatchRunner {

    /** Spin iterations before a waiting thread parks or yields; about 20-50 microseconds. */
    static final int SPINS = 20_000;

    private final Thread[] threads;
    /** Workers that have not finished the phase (worker 0 not counted). */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    /** A failure of a worker {@code k > 0}, surfaced by worker 0. */
    private volatile Throwable failure;

    WorkerThreads(int workers) {
        threads = new Thread[workers];
    }

    /** Starts workers {@code 1 .. n-1}; called once the subclass's fields are set. */
    final void startWorkers() {
        for (int k = 1; k < threads.length; k++) {
            final int worker = k;
            Thread thread = new Thread(() -> workLoop(worker), "chainrule-trainer-" + k);
            thread.setDaemon(true);
            threads[k] = thread;
            thread.start();
        }
    }

    /**
     * Whether {@code step}'s class implements the named method rather than inheriting
     * {@link TrainingStep}'s default, which throws: how a runner tells whether a step
     * can work in slices or split a batch by inputs.
     */
    static boolean implementsMethod(TrainingStep step, String name, Class<?>... parameters) {
        try {
            return step.getClass().getMethod(name, parameters).getDeclaringClass() != TrainingStep.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("TrainingStep declares " + name, e);
        }
    }

    final int workers() {
        return threads.length;
    }

    /** Worker {@code k}'s share of the current phase; returns what it threw, or null. */
    abstract Throwable work(int k);

    /**
     * Wakes the workers for the phase set in the subclass's fields, does worker 0's share, waits
     * for the others, and throws the first failure: worker 0's own as it is, another worker's
     * wrapped.
     */
    final void runPhase() {
        int workers = threads.length;
        pending.set(workers - 1);
        generation++; // publishes the phase and its fields to the workers
        for (int k = 1; k < workers; k++) {
            LockSupport.unpark(threads[k]);
        }
        Throwable own = work(0);
        await(pending);
        Throwable error = failure;
        failure = null;
        if (own != null && error != null && error != own) {
            own.addSuppressed(error);
        }
        if (own instanceof RuntimeException e) {
            throw e;
        }
        if (own instanceof Error e) {
            throw e;
        }
        if (own != null || error != null) {
            Throwable cause = own != null ? own : error;
            throw new IllegalStateException("a training worker failed: " + cause, cause);
        }
    }

    private void workLoop(int k) {
        long seen = 0;
        while (true) {
            int spins = 0;
            long current;
            while ((current = generation) == seen) {
                if (closed) {
                    return;
                }
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = current;
            if (closed) {
                return;
            }
            Throwable thrown = work(k);
            if (thrown != null) {
                failure = thrown;
            }
            pending.decrementAndGet(); // publishes the worker's results to worker 0
        }
    }

    /** Waits, spinning then yielding, until {@code count} is 0. */
    static void await(AtomicInteger count) {
        int spins = 0;
        while (count.get() != 0) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        generation++;
        for (int k = 1; k < threads.length; k++) {
            LockSupport.unpark(threads[k]);
        }
        for (int k = 1; k < threads.length; k++) {
            try {
                threads[k].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
