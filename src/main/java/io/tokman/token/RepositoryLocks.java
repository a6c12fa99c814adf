package io.tokman.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.tokman.github.TokenScope;

/**
 * One lock per token (a repository's, or a scope's), held only while someone uses it: an
 * entry is created by the first thread that asks and removed by the last one to leave, so
 * the map holds just the tokens being renewed right now.
 */
final class RepositoryLocks {

	private final ConcurrentHashMap<TokenScope, Entry> locks = new ConcurrentHashMap<>();

	private final Duration timeout;

	RepositoryLocks(Duration timeout) {
		this.timeout = timeout;
	}

	/** Runs the action holding the scope's lock, waiting for it up to the timeout. */
	<T> T withLock(TokenScope scope, Supplier<T> action) {
		return run(scope, this.timeout, action, () -> {
			throw new RenewalTimeoutException(scope.toString(), this.timeout);
		});
	}

	/**
	 * Runs the action holding the scope's lock if nobody holds it now; empty, without
	 * waiting, if somebody does.
	 */
	<T> Optional<T> ifFree(TokenScope scope, Supplier<T> action) {
		return run(scope, Duration.ZERO, () -> Optional.of(action.get()), Optional::empty);
	}

	private <T> T run(TokenScope scope, Duration wait, Supplier<T> action, Supplier<T> busy) {
		// The count changes only inside compute, which runs atomically for a key.
		Entry entry = this.locks.compute(scope, (k, existing) -> ((existing != null) ? existing : new Entry()).join());
		try {
			if (!entry.lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
				return busy.get();
			}
			try {
				return action.get();
			}
			finally {
				entry.lock.unlock();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RenewalTimeoutException(scope.toString(), this.timeout);
		}
		finally {
			this.locks.computeIfPresent(scope, (k, existing) -> existing.leave());
		}
	}

	/** How many threads wait for a lock that another one holds, right now. */
	int waiting() {
		return this.locks.values().stream().mapToInt((entry) -> entry.lock.getQueueLength()).sum();
	}

	/** How many repositories have a lock right now. */
	int size() {
		return this.locks.size();
	}

	private static final class Entry {

		private final ReentrantLock lock = new ReentrantLock();

		private int users;

		Entry join() {
			this.users++;
			return this;
		}

		Entry leave() {
			return (--this.users == 0) ? null : this;
		}

	}

}
