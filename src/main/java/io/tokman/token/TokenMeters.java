package io.tokman.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/** Counts the tokens handed out by where they came from, and background renewals. */
@Component
final class TokenMeters {

	final Counter memory;

	final Counter stored;

	final Counter renewedMeanwhile;

	final Counter minted;

	final Counter stale;

	final Counter renewing;

	final Counter refreshed;

	TokenMeters(MeterRegistry registry) {
		this.memory = served(registry, "memory");
		this.stored = served(registry, "stored");
		this.renewedMeanwhile = served(registry, "renewed-meanwhile");
		this.minted = served(registry, "minted");
		this.stale = served(registry, "stale");
		this.renewing = served(registry, "renewing");
		this.refreshed = Counter.builder("tokman.tokens.refreshed")
			.description("Tokens renewed in the background by refresh-ahead")
			.register(registry);
	}

	private static Counter served(MeterRegistry registry, String source) {
		return Counter.builder("tokman.tokens.served")
			.description("Tokens handed out: from memory, from the database, renewed by a concurrent request, "
					+ "minted, or stale after a failed renewal")
			.tag("source", source)
			.register(registry);
	}

}
