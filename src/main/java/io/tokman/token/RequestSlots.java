package io.tokman.token;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The slots that bound how many requests tokman works on at once ({@code WORKERS}, where
 * each request has a virtual thread of its own, Java 21+), first come first served. A
 * request that waits, for another request's renewal or for GitHub, gives its slot up
 * meanwhile and takes one again to answer: a burst for cold repositories is then bounded
 * by GitHub's latency, not by slots that waiting requests hold. Requests in flight,
 * waiting ones included, are bounded at twice the slots: each holds about 100 KB of heap
 * (Tomcat's buffers, its stack), and a thousand at once (Tomcat's
 * {@code max-connections}) would not fit the heap; the rest wait as connections accepted
 * but not read yet, which cost 16 KB each.
 *
 * <p>
 * The slot a thread holds is a thread-local: it is Tomcat's executor, not the request,
 * that takes it, and no argument could carry it from there.
 */
public final class RequestSlots {

	private static final ThreadLocal<Semaphore> HELD = new ThreadLocal<>();

	private final Semaphore slots;

	private final Semaphore inFlight;

	public RequestSlots(int slots) {
		this.slots = new Semaphore(slots, true);
		this.inFlight = new Semaphore(2 * slots, true);
	}

	/** Runs the task on the calling thread once a slot is free, holding that slot. */
	public void run(Runnable task) {
		this.inFlight.acquireUninterruptibly();
		this.slots.acquireUninterruptibly();
		HELD.set(this.slots);
		try {
			task.run();
		}
		finally {
			HELD.remove();
			this.slots.release();
			this.inFlight.release();
		}
	}

	/**
	 * Waits without the slot the calling thread holds, if it holds one, and takes a slot
	 * again before returning or throwing.
	 */
	static <T> T waiting(Supplier<T> wait) {
		Semaphore slots = HELD.get();
		if (slots == null) {
			return wait.get();
		}
		HELD.remove();
		slots.release();
		try {
			return wait.get();
		}
		finally {
			slots.acquireUninterruptibly();
			HELD.set(slots);
		}
	}

}
