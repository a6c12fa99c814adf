package io.tokman.token;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokman.github.InstallationToken;
import io.tokman.github.TokenScope;

import org.springframework.stereotype.Component;

/**
 * Which client this process handed which scope's token lately (within a token's
 * lifetime): what revoking "every token handed to a client" revokes. One entry per client
 * and scope, written once per lifetime, so that serving a held token costs a lookup.
 */
@Component
final class HandedOut {

	private final Cache<Key, Boolean> lately;

	HandedOut(TokenProperties properties, Clock clock) {
		this.lately = Caffeine.newBuilder()
			.maximumSize(4L * properties.cacheSize())
			.expireAfterWrite(InstallationToken.LIFETIME.toMillis(), TimeUnit.MILLISECONDS)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.build();
	}

	void record(String client, TokenScope scope) {
		Key key = new Key(client, scope);
		if (this.lately.getIfPresent(key) == null) {
			this.lately.put(key, Boolean.TRUE);
		}
	}

	/** The scopes whose tokens the client was handed lately. */
	List<TokenScope> to(String client) {
		return this.lately.asMap()
			.keySet()
			.stream()
			.filter((key) -> key.client().equals(client))
			.map(Key::scope)
			.toList();
	}

	private record Key(String client, TokenScope scope) {

	}

}
