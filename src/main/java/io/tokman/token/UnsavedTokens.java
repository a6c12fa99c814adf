package io.tokman.token;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Tokens GitHub minted that the database would not take (disk full, database down). They
 * are served from memory meanwhile, written again by each refresh-ahead round until the
 * database takes them, and the readiness probe reports the store down until then: a
 * minted token is never thrown away, and never minted again for want of a write.
 */
@Component("tokenWrites")
final class UnsavedTokens implements HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(UnsavedTokens.class);

	private final Map<String, StoredToken> unsaved = new ConcurrentHashMap<>();

	private final StoredTokenRepository tokens;

	UnsavedTokens(@Lazy StoredTokenRepository tokens) {
		this.tokens = tokens;
	}

	void add(StoredToken token, DataAccessException failure) {
		this.unsaved.merge(token.app() + "@" + token.key(), token,
				(held, next) -> next.expiresAt().isAfter(held.expiresAt()) ? next : held);
		log.error("Could not store the new token of {}, valid until {}; serving it from memory and writing it again "
				+ "shortly: {}", token.key(), token.expiresAt(), failure.getMostSpecificCause().getMessage());
	}

	/**
	 * Writes each unsaved token again; those the database takes, or that it holds already
	 * (a write that failed only as it was reported, or another process's), are forgotten.
	 */
	void retry() {
		for (StoredToken token : this.unsaved.values()) {
			try {
				this.tokens.upsert(token);
			}
			catch (DataAccessException ex) {
				if (!storedAlready(token)) {
					// Still not; the next round tries again.
					continue;
				}
			}
			this.unsaved.remove(token.app() + "@" + token.key(), token);
			log.info("Stored the token of {}, which the database would not take before", token.key());
		}
	}

	/** Whether the row holds this token, or one that lasts longer. */
	private boolean storedAlready(StoredToken token) {
		try {
			return this.tokens.find(token)
				.filter((stored) -> stored.token() != null && stored.expiresAt() != null
						&& !stored.expiresAt().isBefore(token.expiresAt()))
				.isPresent();
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

	@Override
	public Health health() {
		int count = this.unsaved.size();
		return (count == 0) ? Health.up().build()
				: Health.down().withDetail("unsaved tokens", count).withDetail("retried", "every second").build();
	}

}
