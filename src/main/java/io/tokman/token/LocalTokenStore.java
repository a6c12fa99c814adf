package io.tokman.token;

import java.util.Optional;
import java.util.function.Function;

import org.springframework.dao.DataAccessException;

/**
 * A store for one tokman on its own database: the in-process repository locks are all the
 * coordination there is, and writes are queued inside tokman.
 */
final class LocalTokenStore implements TokenStore {

	private static final UtcTimestampConverter TIMESTAMPS = new UtcTimestampConverter();

	private final StoredTokenRepository tokens;

	private final Object writes = new Object();

	private final UnsavedTokens unsaved;

	LocalTokenStore(StoredTokenRepository tokens, UnsavedTokens unsaved) {
		this.tokens = tokens;
		this.unsaved = unsaved;
	}

	@Override
	public Optional<StoredToken> find(String repo) {
		return this.tokens.findByRepo(repo);
	}

	@Override
	public <T> T renewing(String repo, Function<StoredToken, T> renewal) {
		return renewal.apply(this.tokens.findByRepo(repo).orElseGet(() -> new StoredToken(repo)));
	}

	@Override
	public void save(StoredToken renewed) {
		// SQLite has one writer and makes the others wait by sleeping (its busy timeout),
		// holding their pooled connections meanwhile; queued here instead, each write is
		// short, and reads are not starved of connections during a burst of renewals.
		synchronized (this.writes) {
			try {
				this.tokens.upsert(renewed.repo(), renewed.token(),
						TIMESTAMPS.convertToDatabaseColumn(renewed.expiresAt()), renewed.installationId());
			}
			catch (DataAccessException ex) {
				this.unsaved.add(renewed, ex);
			}
		}
	}

}
