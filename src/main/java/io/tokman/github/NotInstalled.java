package io.tokman.github;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Where GitHub said lately that the App is not installed ({@code owner/name}, or
 * {@code owner} for an owner's installation): answered so again without asking GitHub
 * until {@code not-installed-for} has passed, so that a loop asking for such a repository
 * costs GitHub one call a while; forgotten at once when GitHub says the App was installed
 * there.
 */
final class NotInstalled {

	private final Cache<String, Boolean> places;

	NotInstalled(Duration remembered, Clock clock) {
		this.places = Caffeine.newBuilder()
			.maximumSize(10_000)
			.expireAfterWrite(remembered)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	boolean remembered(TokenScope scope) {
		return this.places.getIfPresent(scope.where().toLowerCase(Locale.ROOT)) != null;
	}

	void remember(TokenScope scope) {
		this.places.put(scope.where().toLowerCase(Locale.ROOT), Boolean.TRUE);
	}

	/**
	 * Forgets the owner's repositories named and the owner's own installation, or all of
	 * the owner's where none is named.
	 */
	void forget(String owner, Collection<String> repositories) {
		String prefix = owner.toLowerCase(Locale.ROOT);
		if (repositories.isEmpty()) {
			this.places.asMap().keySet().removeIf((where) -> where.equals(prefix) || where.startsWith(prefix + "/"));
			return;
		}
		this.places.invalidate(prefix);
		repositories.forEach((name) -> this.places.invalidate(prefix + "/" + name.toLowerCase(Locale.ROOT)));
	}

}
