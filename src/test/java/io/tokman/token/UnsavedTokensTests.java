package io.tokman.token;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens the database would not take: written again until it does, and forgotten as soon
 * as the database holds them, however the write fared.
 */
class UnsavedTokensTests {

	private static final Instant EXPIRY = Instant.parse("2026-11-25T13:00:00Z");

	/** What the row holds; the write itself always fails. */
	private final AtomicReference<StoredToken> row = new AtomicReference<>();

	private final UnsavedTokens unsaved = new UnsavedTokens(rowThatRefusesWrites());

	@Test
	void tokenTheRowHoldsAlreadyIsForgottenThoughTheWriteFails() {
		StoredToken token = token("ghs_new", EXPIRY);
		this.unsaved.add(token, new DataAccessResourceFailureException("disk I/O error"));
		this.unsaved.retry();
		assertThat(this.unsaved.health().getStatus()).isEqualTo(Status.DOWN);
		// The write that was reported failed reached the file after all.
		this.row.set(token("ghs_new", EXPIRY));
		this.unsaved.retry();
		assertThat(this.unsaved.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void anOlderTokenInTheRowDoesNotCountAsStored() {
		this.unsaved.add(token("ghs_new", EXPIRY), new DataAccessResourceFailureException("disk I/O error"));
		this.row.set(token("ghs_old", EXPIRY.minusSeconds(3600)));
		this.unsaved.retry();
		assertThat(this.unsaved.health().getStatus()).isEqualTo(Status.DOWN);
	}

	private static StoredToken token(String token, Instant expiresAt) {
		StoredToken stored = new StoredToken(
				TokenScope.repository(new RepositoryName("packit", "ogr"), Permissions.INSTALLATION, false));
		stored.renew(token, expiresAt);
		return stored;
	}

	private StoredTokenRepository rowThatRefusesWrites() {
		return (StoredTokenRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { StoredTokenRepository.class }, (proxy, method, arguments) -> {
					if (method.getName().equals("upsert")) {
						throw new DataAccessResourceFailureException("disk I/O error");
					}
					if (method.getName().equals("find") && arguments.length == 1) {
						return Optional.ofNullable(this.row.get());
					}
					throw new UnsupportedOperationException(method.getName());
				});
	}

}
